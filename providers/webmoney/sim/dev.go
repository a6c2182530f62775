package sim

import (
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/shopspring/decimal"
)

// The lender New serves when Options.Lenders is empty: what `loanflow dev`
// configures its client with when LOANFLOW_WEBMONEY_* are unset.
const (
	DevLenderWMID  = "000000000001"
	DevAPIPassword = "apipass"
)

// demoLoan is one loan SeedDemo issues: how long before now, its amounts
// and where it has got to.
type demoLoan struct {
	ago       time.Duration
	amount    string
	amountRet string
	days      int
	state     int
	repaid    string // repaid so far, for a taken loan
}

var demoLoans = []demoLoan{
	{ago: time.Hour, amount: "50", amountRet: "52.50", days: 14, state: StatePlanned},
	{ago: 6 * time.Hour, amount: "100", amountRet: "110.50", days: 30, state: StateTaken},
	{ago: 3 * 24 * time.Hour, amount: "250", amountRet: "275", days: 30, state: StateTaken, repaid: "75"},
	{ago: 2 * 24 * time.Hour, amount: "30", amountRet: "31.20", days: 7, state: StateRefused},
	{ago: 20 * 24 * time.Hour, amount: "500", amountRet: "560", days: 60, state: StateCompletedEarly},
}

// SeedDemo issues a few loans of lender, in every kind of state, so a dev
// stack's first reconciliation has something to show. Loans still planned or
// taken can then be moved with SetState and Repay.
func (s *Server) SeedDemo(lender string) ([]int64, error) {
	if _, ok := s.opts.Lenders[lender]; !ok {
		return nil, fmt.Errorf("webmoney sim: %s is not a lender of this simulator", lender)
	}
	now := s.opts.Now()
	ids := make([]int64, 0, len(demoLoans))
	for i, d := range demoLoans {
		created := now.Add(-d.ago).Truncate(time.Second)
		amountRet := decimal.RequireFromString(d.amountRet)
		c := Credit{
			OwnerWMID: lender, DestWMID: fmt.Sprintf("3%011d", i+1),
			PurseSrc: "Z" + lender, PurseDest: fmt.Sprintf("Z3%011d", i+1), PurseRet: fmt.Sprintf("Z3%011d", i+1),
			Created: created, Amount: decimal.RequireFromString(d.amount), AmountRet: amountRet,
			ReturnDate: created.AddDate(0, 0, d.days), ReturnPeriod: d.days, State: d.state,
			WMTranID: fmt.Sprint(700000 + i), ContractID: fmt.Sprintf("DEMO-%d", i+1),
		}
		switch {
		case d.repaid != "":
			c.AmountRetRest = amountRet.Sub(decimal.RequireFromString(d.repaid))
		case d.state == StateCompleted || d.state == StateCompletedEarly:
			c.AmountRetRest = decimal.Zero
			c.Updated = created.Add(d.ago / 2) // repaid ahead of the return date
		case d.state == StateRefused:
			c.AmountRetRest = decimal.Zero
			c.Updated = created.Add(time.Hour)
		}
		id, err := s.AddCredit(c)
		if err != nil {
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Start serves s on addr ("127.0.0.1:0" for any free port) and returns the
// URL of its endpoint, the LOANFLOW_WEBMONEY_URL to give the client, and a
// function that stops it (safe to call more than once).
func Start(s *Server, addr string) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("webmoney sim: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			_ = srv.Close()
			<-done // Serve has returned: nothing of the server is left running
		})
	}
	return "http://" + ln.Addr().String() + DefaultPath, stop, nil
}
