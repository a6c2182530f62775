package sim

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers/simfault"
)

// DefaultPath is where the service answers.
const DefaultPath = "/api/credits.aspx"

// Retvals of the simulator.
const (
	RetvalOK           = 0
	RetvalBadRequest   = -1
	RetvalBadSignature = -2
)

// Loan states 0–6 as the service numbers them.
const (
	StatePlanned           = 0
	StateTaken             = 1
	StateRefused           = 2
	StateCompleted         = 3
	StateCompletedEarly    = 4
	StateCompletedByOthers = 5
	StateTerminatedPaymer  = 6
)

// Credit is one loan in the service.
type Credit struct {
	ID            int64
	OwnerWMID     string
	DestWMID      string
	PurseSrc      string
	PurseDest     string
	PurseRet      string
	Created       time.Time
	Updated       time.Time
	Amount        decimal.Decimal
	AmountRet     decimal.Decimal
	AmountRetRest decimal.Decimal
	ReturnDate    time.Time
	ReturnPeriod  int
	State         int
	WMTranID      string
	ContractID    string
}

// Options configure a simulator.
type Options struct {
	// Lenders maps each lender WMID to its API password (default "000000000001": "apipass").
	Lenders map[string]string
	// Location is the zone of the wire timestamps (default UTC+3, Moscow).
	Location *time.Location
	Now      func() time.Time // default time.Now
	Faults   Faults
}

// Server is an in-memory Debt service; an http.Handler answering on DefaultPath.
type Server struct {
	opts Options
	simfault.Front

	mu       sync.Mutex
	credits  map[int64]*Credit
	nextID   int64
	requests int
}

// New returns a simulator with opts.
func New(opts Options) *Server {
	if len(opts.Lenders) == 0 {
		opts.Lenders = map[string]string{"000000000001": "apipass"}
	}
	if opts.Location == nil {
		opts.Location = time.FixedZone("MSK", 3*60*60)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, credits: map[int64]*Credit{}, nextID: 1}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+DefaultPath, s.list)
	s.Front = simfault.NewFront(opts.Faults, mux, func(w http.ResponseWriter, status int, msg string) { http.Error(w, msg, status) })
	return s
}

// AddCredit records a loan and returns its id (c.ID when set, the next free id otherwise). Zero Created
// and Updated default to now; a zero AmountRetRest to AmountRet.
func (s *Server) AddCredit(c Credit) (int64, error) {
	if c.State < StatePlanned || c.State > StateTerminatedPaymer {
		return 0, fmt.Errorf("webmoney sim: state %d is not 0–6", c.State)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.ID == 0 {
		c.ID = s.nextID
	}
	if _, dup := s.credits[c.ID]; dup {
		return 0, fmt.Errorf("webmoney sim: credit %d exists", c.ID)
	}
	s.nextID = max(s.nextID, c.ID+1)
	now := s.opts.Now()
	if c.Created.IsZero() {
		c.Created = now
	}
	if c.Updated.IsZero() {
		c.Updated = c.Created
	}
	if c.AmountRetRest.IsZero() && c.State <= StateTaken {
		c.AmountRetRest = c.AmountRet
	}
	s.credits[c.ID] = &c
	return c.ID, nil
}

// SetState moves a loan to state and stamps the change.
func (s *Server) SetState(id int64, state int) error {
	if state < StatePlanned || state > StateTerminatedPaymer {
		return fmt.Errorf("webmoney sim: state %d is not 0–6", state)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.credits[id]
	if !ok {
		return fmt.Errorf("webmoney sim: credit %d not found", id)
	}
	c.State, c.Updated = state, s.opts.Now()
	return nil
}

// Repay records a repayment by the borrower of a taken loan; the last one completes it, ahead of
// schedule (state 4) before the return date, normally (state 3) otherwise.
func (s *Server) Repay(id int64, amount decimal.Decimal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.credits[id]
	switch {
	case !ok:
		return fmt.Errorf("webmoney sim: credit %d not found", id)
	case c.State != StateTaken:
		return fmt.Errorf("webmoney sim: credit %d is in state %d, only taken loans are repaid", id, c.State)
	case !amount.IsPositive() || amount.GreaterThan(c.AmountRetRest):
		return fmt.Errorf("webmoney sim: repayment %s of credit %d must be in (0, %s]", amount, id, c.AmountRetRest)
	}
	now := s.opts.Now()
	c.AmountRetRest = c.AmountRetRest.Sub(amount)
	if c.AmountRetRest.IsZero() {
		c.State = StateCompleted
		if now.Before(c.ReturnDate) {
			c.State = StateCompletedEarly
		}
	}
	c.Updated = now
	return nil
}

// Credits returns every loan, by id.
func (s *Server) Credits() []Credit {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Credit, 0, len(s.credits))
	for _, c := range s.credits {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Credit) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Requests counts the list requests answered with retval 0.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}
