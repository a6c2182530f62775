package webmoney_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/providertest"
	"github.com/loanflow/loanflow/providers/webmoney"
	"github.com/loanflow/loanflow/providers/webmoney/sim"
)

const (
	lender   = "000000000001"
	password = "apipass"
)

var now = time.Date(2024, 2, 10, 12, 0, 0, 0, time.UTC)

type env struct {
	client *webmoney.Client
	sim    *sim.Server
	srv    *httptest.Server
}

func newEnv(t *testing.T, opts sim.Options) *env {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return now }
	}
	s := sim.New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &env{client: newClient(t, srv.URL, lender, password), sim: s, srv: srv}
}

func newClient(t *testing.T, base, wmid, pass string) *webmoney.Client {
	t.Helper()
	c, err := webmoney.New(webmoney.Config{URL: base + sim.DefaultPath, WMID: wmid, APIPassword: pass})
	require.NoError(t, err)
	return c
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func credit(owner string, created time.Time, state int) sim.Credit {
	return sim.Credit{
		OwnerWMID: owner, DestWMID: "123456789012", PurseSrc: "Z000000000001", PurseDest: "Z123456789012",
		PurseRet: "Z123456789012", Created: created, Amount: dec("100"), AmountRet: dec("110.50"),
		ReturnDate: created.AddDate(0, 0, 30), ReturnPeriod: 30, State: state, WMTranID: "900001", ContractID: "C-1",
	}
}

func TestSign(t *testing.T) {
	// sha1sum of "000000000001:2024-01-01T00:00:00:2024-01-31T23:59:59:apipass"
	require.Equal(t, "3ebd3d646dfdcf44c20d0fe37e6e3d94b76d0a8f",
		webmoney.Sign(lender, "2024-01-01T00:00:00", "2024-01-31T23:59:59", password))
}

func TestCredits(t *testing.T) {
	e := newEnv(t, sim.Options{Lenders: map[string]string{lender: password, "000000000002": "other"}})
	c := context.Background()
	jan := func(d int) time.Time { return time.Date(2024, 1, d, 9, 30, 15, 0, time.UTC) }
	longer := credit(lender, jan(5), sim.StateTaken)
	longer.ReturnDate, longer.ReturnPeriod = jan(5).AddDate(0, 2, 0), 60
	ids := map[string]int64{}
	for _, add := range []struct {
		name   string
		credit sim.Credit
	}{
		{"taken", longer},
		{"completed", credit(lender, jan(10), sim.StateCompleted)},
		{"other", credit("000000000002", jan(6), sim.StateTaken)},
		{"planned", credit(lender, jan(20), sim.StatePlanned)},
		{"february", credit(lender, time.Date(2024, 2, 2, 0, 0, 0, 0, time.UTC), sim.StateTaken)},
	} {
		id, err := e.sim.AddCredit(add.credit)
		require.NoError(t, err)
		ids[add.name] = id
	}
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, webmoney.Moscow)
	to := time.Date(2024, 1, 31, 23, 59, 59, 0, webmoney.Moscow)

	all, err := e.client.Credits(c, from, to, webmoney.StateAll)
	require.NoError(t, err)
	require.Len(t, all, 3, "the lender's loans created in January")
	require.Equal(t, []int64{ids["taken"], ids["completed"], ids["planned"]}, []int64{all[0].ID, all[1].ID, all[2].ID})

	byID := map[int64]webmoney.Credit{}
	for _, cr := range all {
		byID[cr.ID] = cr
	}
	taken := byID[ids["taken"]]
	require.Equal(t, lender, taken.OwnerWMID)
	require.Equal(t, "123456789012", taken.DestWMID)
	require.Equal(t, "Z000000000001", taken.PurseSrc)
	require.Equal(t, "Z123456789012", taken.PurseDest)
	require.Equal(t, "Z123456789012", taken.PurseRet)
	require.True(t, taken.Created.Equal(jan(5)), "created %s", taken.Created)
	require.Equal(t, webmoney.Moscow, taken.Created.Location())
	require.True(t, taken.Updated.Equal(jan(5)))
	require.True(t, taken.Amount.Equal(dec("100")))
	require.True(t, taken.AmountRet.Equal(dec("110.50")))
	require.True(t, taken.AmountRetRest.Equal(dec("110.50")))
	require.True(t, taken.ReturnDate.Equal(jan(5).AddDate(0, 2, 0)))
	require.Equal(t, 60, taken.ReturnPeriod)
	require.Equal(t, webmoney.StateTaken, taken.State)
	require.Equal(t, "900001", taken.WMTranID)
	require.Equal(t, "C-1", taken.ContractID)
	require.Equal(t, webmoney.StateCompleted, byID[ids["completed"]].State)

	planned, err := e.client.Credits(c, from, to, webmoney.StatePlanned)
	require.NoError(t, err)
	require.Len(t, planned, 1)
	require.Equal(t, ids["planned"], planned[0].ID)

	none, err := e.client.Credits(c, from, to, webmoney.StateRefused)
	require.NoError(t, err)
	require.Empty(t, none)

	// The borrower repays early: the state and the last change follow.
	require.NoError(t, e.sim.Repay(ids["taken"], dec("10.50")))
	require.NoError(t, e.sim.Repay(ids["taken"], dec("100")))
	require.Error(t, e.sim.Repay(ids["taken"], dec("1")), "a completed loan takes no repayment")
	all, err = e.client.Credits(c, from, to, webmoney.StateCompletedEarly)
	require.NoError(t, err)
	require.Len(t, all, 1)
	require.True(t, all[0].AmountRetRest.IsZero())
	require.True(t, all[0].Updated.Equal(now))

	require.NoError(t, e.sim.SetState(ids["planned"], sim.StateRefused))
	all, err = e.client.Credits(c, from, to, webmoney.StateRefused)
	require.NoError(t, err)
	require.Len(t, all, 1)
	require.Equal(t, ids["planned"], all[0].ID)
	require.Equal(t, 5, e.sim.Requests())
}

func TestStates(t *testing.T) {
	cases := []struct {
		state       webmoney.State
		name        string
		description string
		final       bool
	}{
		{webmoney.StatePlanned, "planned", "planned", false},
		{webmoney.StateTaken, "taken", "taken", false},
		{webmoney.StateRefused, "refused", "refusal", true},
		{webmoney.StateCompleted, "completed", "normally completed", true},
		{webmoney.StateCompletedEarly, "completed_early", "completed ahead of schedule", true},
		{webmoney.StateCompletedByOthers, "completed_by_others", "completed at the expense of others", true},
		{webmoney.StateTerminatedPaymer, "terminated_paymer", "registration in the service has been terminated; obligation issued in Paymer format", true},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, webmoney.State(i), tc.state, "documented number")
			require.True(t, tc.state.Valid())
			require.Equal(t, tc.name, tc.state.String())
			require.Equal(t, tc.description, tc.state.Description())
			require.Equal(t, tc.final, tc.state.Final())
			parsed, ok := webmoney.ParseState(tc.name)
			require.True(t, ok)
			require.Equal(t, tc.state, parsed)
		})
	}
	require.False(t, webmoney.State(7).Valid())
	require.False(t, webmoney.StateAll.Valid())
	require.Equal(t, "state(7)", webmoney.State(7).String())
	_, ok := webmoney.ParseState("lost")
	require.False(t, ok)
}

func TestRefusals(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := context.Background()
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, webmoney.Moscow)
	to := from.AddDate(0, 1, 0)
	cases := []struct {
		name     string
		call     func() error
		code     string
		message  string
		status   int
		provider string
	}{
		{"wrong password", func() error {
			_, err := newClient(t, e.srv.URL, lender, "wrong").Credits(c, from, to, webmoney.StateAll)
			return err
		}, "-2", "invalid signature", 200, webmoney.Provider},
		{"unknown lender", func() error {
			_, err := newClient(t, e.srv.URL, "999999999999", password).Credits(c, from, to, webmoney.StateAll)
			return err
		}, "-2", "invalid signature", 200, webmoney.Provider},
		{"window backwards", func() error {
			_, err := e.client.Credits(c, to, from, webmoney.StateAll)
			return err
		}, "-1", "from must not be after to", 200, webmoney.Provider},
		{"state out of range", func() error {
			_, err := e.client.Credits(c, from, to, webmoney.State(9))
			return err
		}, providers.CodeRequest, "state 9", 0, webmoney.Provider},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pe, ok := providers.AsError(tc.call())
			require.True(t, ok)
			require.Equal(t, tc.code, pe.Code)
			require.Equal(t, tc.status, pe.Status)
			require.Contains(t, pe.Message, tc.message)
			require.False(t, pe.Retryable)
			require.False(t, pe.Ambiguous)
		})
	}
	require.Zero(t, e.sim.Requests())
}

func TestBadAnswers(t *testing.T) {
	cases := []struct {
		name, body, message string
	}{
		{"count disagrees", `<service.response><credits cnt="2"></credits><retval>0</retval><retdesc></retdesc></service.response>`, "the answer holds 0 credits"},
		{"undocumented state", `<service.response><credits cnt="1"><credit id="7"><datecrt>2024-01-01T00:00:00</datecrt><dateupd>2024-01-01T00:00:00</dateupd><amount>1</amount><amount_ret>1</amount_ret><amount_ret_rest>1</amount_ret_rest><ret_date>2024-02-01T00:00:00</ret_date><ret_per>31</ret_per><state>9</state></credit></credits><retval>0</retval><retdesc></retdesc></service.response>`, "not a documented state"},
		{"not XML", `<html>maintenance</html>`, "unreadable XML answer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c, err := webmoney.New(webmoney.Config{URL: srv.URL, WMID: lender, APIPassword: password})
			require.NoError(t, err)
			_, err = c.Credits(context.Background(), now, now, webmoney.StateAll)
			pe, ok := providers.AsError(err)
			require.True(t, ok)
			require.Equal(t, providers.CodeBadResponse, pe.Code)
			require.Contains(t, pe.Message, tc.message)
			require.True(t, pe.Retryable)
			require.False(t, pe.Ambiguous, "a read is never ambiguous")
		})
	}
}

func TestFaults(t *testing.T) {
	providertest.RequireFaultsClassified(t, webmoney.CodeHTTP, func(t *testing.T) providertest.Simulated {
		e := newEnv(t, sim.Options{})
		return providertest.Simulated{SetFaults: e.sim.SetFaults, Close: e.srv.Close,
			Read: func(ctx context.Context) error {
				_, err := e.client.Credits(ctx, now.AddDate(0, -1, 0), now, webmoney.StateAll)
				return err
			}}
	})
}

// TestRetryingReconcilerSeesEachLoanOnce lists a window through 30 % faults with retries and checks the
// result is exactly the loans of the window, each once.
func TestRetryingReconcilerSeesEachLoanOnce(t *testing.T) {
	e := newEnv(t, sim.Options{})
	for i := range 40 {
		_, err := e.sim.AddCredit(credit(lender, now.Add(-time.Duration(i)*time.Hour), i%7))
		require.NoError(t, err)
	}
	e.sim.SetFaults(sim.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: 9})
	var rt providertest.Retrier
	seen := map[int64]int{}
	for day := range 3 {
		to := now.Add(-time.Duration(day) * 24 * time.Hour)
		from := to.Add(-24*time.Hour + time.Second)
		var list []webmoney.Credit
		require.NoError(t, rt.Do(fmt.Sprintf("window %d", day), func() (err error) {
			list, err = e.client.Credits(context.Background(), from, to, webmoney.StateAll)
			return err
		}))
		for _, cr := range list {
			seen[cr.ID]++
		}
	}
	require.Positive(t, rt.Failures(), "the faults must have hit some calls for the test to mean anything")
	require.Len(t, seen, 40)
	for id, n := range seen {
		require.Equal(t, 1, n, fmt.Sprintf("credit %d", id))
	}
}

func TestNewValidatesConfig(t *testing.T) {
	providertest.RequireConfigsRefused(t, func(c webmoney.Config) error { _, err := webmoney.New(c); return err },
		webmoney.Config{WMID: "12345", APIPassword: "p"},
		webmoney.Config{WMID: lender},
		webmoney.Config{URL: "debt.wmtransfer.com", WMID: lender, APIPassword: "p"},
	)
	c, err := webmoney.New(webmoney.Config{WMID: lender, APIPassword: "p"})
	require.NoError(t, err, "the documented URL is the default")
	require.NotNil(t, c)
}
