package activities_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/internal/testclock"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/providers/webmoney"
	"github.com/loanflow/loanflow/providers/webmoney/sim"
)

// wm names the WebMoney activities for ExecuteActivity.
var wm *activities.WebMoney

const (
	wmLender   = "000000000001"
	wmPassword = "apipass"
)

// wmFixture is the WebMoney Debt simulator over HTTP, an SQLite store, and
// an activity environment running the real activity against both.
type wmFixture struct {
	t     *testing.T
	clock *testclock.Clock
	sim   *sim.Server
	store *models.Store
	acts  *activities.WebMoney
	env   *testsuite.TestActivityEnvironment
}

func newWMFixture(t *testing.T, password string) *wmFixture {
	t.Helper()
	clock := testclock.New(time.Date(2025, 6, 20, 9, 0, 0, 0, time.UTC))
	s := sim.New(sim.Options{Lenders: map[string]string{wmLender: wmPassword}, Now: clock.Now})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	client, err := webmoney.New(webmoney.Config{URL: srv.URL + sim.DefaultPath, WMID: wmLender, APIPassword: password})
	require.NoError(t, err)
	store, err := models.Open(filepath.Join(t.TempDir(), "loanflow.db"))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	require.NoError(t, store.Migrate(context.Background()))

	acts := &activities.WebMoney{Client: client, Store: store, Now: clock.Now}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	return &wmFixture{t: t, clock: clock, sim: s, store: store, acts: acts, env: env}
}

// issue adds a loan of the lender (or another) issued ago before now.
func (f *wmFixture) issue(owner string, ago time.Duration, state int) int64 {
	f.t.Helper()
	created := f.clock.Now().Add(-ago)
	id, err := f.sim.AddCredit(sim.Credit{
		OwnerWMID: owner, DestWMID: "123456789012", PurseSrc: "Z000000000001", PurseDest: "Z123456789012",
		PurseRet: "Z123456789012", Created: created, Amount: decimal.RequireFromString("100"),
		AmountRet: decimal.RequireFromString("110.50"), ReturnDate: created.AddDate(0, 0, 30), ReturnPeriod: 30,
		State: state, WMTranID: "900001", ContractID: "C-1",
	})
	require.NoError(f.t, err)
	return id
}

// run reconciles the lookback before now.
func (f *wmFixture) run(lookback time.Duration) (*activities.ReconcileResult, error) {
	now := f.clock.Now()
	val, err := f.env.ExecuteActivity(wm.FetchAndUpsert, activities.Window{From: now.Add(-lookback), To: now})
	if err != nil {
		return nil, err
	}
	var res activities.ReconcileResult
	require.NoError(f.t, val.Get(&res))
	return &res, nil
}

func (f *wmFixture) events(id int64) []models.ExternalLoanEvent {
	f.t.Helper()
	evs, err := f.store.ExternalLoanEvents(context.Background(), activities.SourceWebMoney, strconv.FormatInt(id, 10))
	require.NoError(f.t, err)
	return evs
}

func counts(r *activities.ReconcileResult) [4]int {
	return [4]int{r.Loans, r.Created, r.Changed, r.Unchanged}
}

func TestWebMoneyFetchAndUpsertRecordsEachStateChangeOnce(t *testing.T) {
	f := newWMFixture(t, wmPassword)
	ctx := context.Background()
	planned := f.issue(wmLender, 2*time.Hour, sim.StatePlanned)
	taken := f.issue(wmLender, 10*time.Hour, sim.StateTaken)
	f.issue("000000000002", time.Hour, sim.StateTaken)    // another lender's
	f.issue(wmLender, 5*24*time.Hour, sim.StateCompleted) // before the window, and closed

	// The first import reads back the whole horizon: loans issued before
	// the window may still be open.
	res, err := f.run(48 * time.Hour)
	require.NoError(t, err)
	require.Equal(t, [4]int{3, 3, 0, 0}, counts(res))
	require.True(t, res.Fetched.From.Equal(res.Requested.To.Add(-activities.DefaultOpenLoanHorizon)), "fetched from %s", res.Fetched.From)
	require.Equal(t, res.Requested.To, res.Fetched.To)

	got, err := f.store.GetExternalLoan(ctx, activities.SourceWebMoney, strconv.FormatInt(planned, 10))
	require.NoError(t, err)
	require.Equal(t, wmLender, got.LenderID)
	require.Equal(t, "123456789012", got.BorrowerID)
	require.Equal(t, "Z000000000001", got.SourceAccount)
	require.Equal(t, "Z123456789012", got.DestinationAccount)
	require.Equal(t, "900001", got.TransferID)
	require.Equal(t, "C-1", got.ContractID)
	require.Equal(t, "100.00", got.Amount.StringFixed(2))
	require.Equal(t, "110.5", got.AmountToRepay.String())
	require.Equal(t, "110.5", got.AmountOutstanding.String())
	require.True(t, got.IssuedAt.Equal(f.clock.Now().Add(-2*time.Hour)), "issued %s", got.IssuedAt)
	require.True(t, got.DueAt.Equal(got.IssuedAt.AddDate(0, 0, 30)))
	require.Equal(t, 30, got.ReturnPeriod)
	require.Equal(t, [2]any{0, "planned"}, [2]any{got.State, got.StateName})
	require.True(t, got.FirstSeenAt.Equal(f.clock.Now()))

	// The next run overlaps the first: nothing new, nothing written; the
	// closed loan issued before the window is not read again.
	f.clock.Advance(time.Hour)
	res, err = f.run(48 * time.Hour)
	require.NoError(t, err)
	require.Equal(t, res.Requested, res.Fetched)
	require.Equal(t, [4]int{2, 0, 0, 2}, counts(res))
	require.Empty(t, f.events(planned))

	// The borrower takes the planned loan (0 -> 1), then repays part of the
	// other one: one state change, one other change.
	f.clock.Advance(time.Hour)
	require.NoError(t, f.sim.SetState(planned, sim.StateTaken))
	changedAt := f.clock.Now()
	require.NoError(t, f.sim.Repay(taken, decimal.RequireFromString("10.50")))
	f.clock.Advance(time.Hour)
	res, err = f.run(48 * time.Hour)
	require.NoError(t, err)
	require.Equal(t, [4]int{2, 0, 2, 0}, counts(res))
	evs := f.events(planned)
	require.Len(t, evs, 1)
	require.Equal(t, [2]int{0, 1}, [2]int{evs[0].FromState, evs[0].ToState})
	require.Equal(t, [2]string{"planned", "taken"}, [2]string{evs[0].FromStateName, evs[0].ToStateName})
	require.True(t, evs[0].ChangedAt.Equal(changedAt), "changed at %s, want %s", evs[0].ChangedAt, changedAt)
	require.True(t, evs[0].At.Equal(f.clock.Now()))
	require.Empty(t, f.events(taken))
	got, err = f.store.GetExternalLoan(ctx, activities.SourceWebMoney, strconv.FormatInt(taken, 10))
	require.NoError(t, err)
	require.Equal(t, "100", got.AmountOutstanding.String())

	// Re-running records nothing more.
	f.clock.Advance(time.Hour)
	res, err = f.run(48 * time.Hour)
	require.NoError(t, err)
	require.Equal(t, [4]int{2, 0, 0, 2}, counts(res))
	require.Len(t, f.events(planned), 1)
}

// A loan issued long before the window is still watched while it is open,
// so its repayment is recorded; closed loans do not widen the window.
func TestWebMoneyFetchAndUpsertFollowsOpenLoansBeforeTheWindow(t *testing.T) {
	f := newWMFixture(t, wmPassword)
	old := f.issue(wmLender, 20*24*time.Hour, sim.StateTaken)
	closed := f.issue(wmLender, 40*24*time.Hour, sim.StateRefused)
	res, err := f.run(48 * time.Hour) // the first import reads back the horizon
	require.NoError(t, err)
	require.Equal(t, [4]int{2, 2, 0, 0}, counts(res))

	f.clock.Advance(24 * time.Hour)
	require.NoError(t, f.sim.Repay(old, decimal.RequireFromString("110.50")))
	res, err = f.run(48 * time.Hour)
	require.NoError(t, err)
	stored, err := f.store.GetExternalLoan(context.Background(), activities.SourceWebMoney, strconv.FormatInt(old, 10))
	require.NoError(t, err)
	require.True(t, res.Fetched.From.Equal(stored.IssuedAt), "fetched from %s, want the open loan's issue %s", res.Fetched.From, stored.IssuedAt)
	require.True(t, res.Fetched.To.Equal(res.Requested.To))
	require.Equal(t, [4]int{1, 0, 1, 0}, counts(res), "the refused loan issued earlier is not re-read")
	evs := f.events(old)
	require.Len(t, evs, 1)
	require.Equal(t, [2]string{"taken", "completed_early"}, [2]string{evs[0].FromStateName, evs[0].ToStateName})
	require.Empty(t, f.events(closed))

	// Closed now, the loan no longer widens the window.
	f.clock.Advance(time.Hour)
	res, err = f.run(48 * time.Hour)
	require.NoError(t, err)
	require.Equal(t, res.Requested, res.Fetched)
	require.Equal(t, [4]int{0, 0, 0, 0}, counts(res))
}

func TestWebMoneyFetchAndUpsertOpenLoanHorizon(t *testing.T) {
	f := newWMFixture(t, wmPassword)
	f.issue(wmLender, 20*24*time.Hour, sim.StateTaken)
	f.acts.OpenLoanHorizon = 30 * 24 * time.Hour
	res, err := f.run(48 * time.Hour)
	require.NoError(t, err)
	require.True(t, res.Fetched.From.Equal(res.Requested.To.Add(-30*24*time.Hour)), "the first import reads back this horizon")
	require.Equal(t, [4]int{1, 1, 0, 0}, counts(res))

	f.acts.OpenLoanHorizon = 10 * 24 * time.Hour
	res, err = f.run(48 * time.Hour)
	require.NoError(t, err)
	require.Equal(t, res.Requested, res.Fetched, "an open loan beyond the horizon is not followed")
	require.Equal(t, [4]int{0, 0, 0, 0}, counts(res))
}

func TestWebMoneyFetchAndUpsertErrors(t *testing.T) {
	cases := []struct {
		name         string
		password     string
		setup        func(f *wmFixture)
		window       func(now time.Time) activities.Window
		wantType     string
		nonRetryable bool
	}{
		{
			name: "wrong API password is a refusal", password: "wrong",
			wantType: activities.ErrTypeWebMoneyRefused, nonRetryable: true,
		},
		{
			name: "5xx is retried", password: wmPassword,
			setup:    func(f *wmFixture) { f.sim.SetFaults(sim.Faults{ErrorRate: 1}) },
			wantType: activities.ErrTypeWebMoneyUnavailable,
		},
		{
			name: "dropped connection is retried", password: wmPassword,
			setup:    func(f *wmFixture) { f.sim.SetFaults(sim.Faults{DropAfterCommitRate: 1}) },
			wantType: activities.ErrTypeWebMoneyUnavailable,
		},
		{
			name: "empty window", password: wmPassword,
			window:   func(now time.Time) activities.Window { return activities.Window{From: now, To: now} },
			wantType: activities.ErrTypeWebMoneyInvalid, nonRetryable: true,
		},
		{
			name: "inverted window", password: wmPassword,
			window:   func(now time.Time) activities.Window { return activities.Window{From: now, To: now.Add(-time.Hour)} },
			wantType: activities.ErrTypeWebMoneyInvalid, nonRetryable: true,
		},
		{
			name: "not configured", password: wmPassword,
			setup:    func(f *wmFixture) { f.acts.Client = nil },
			wantType: activities.ErrTypeWebMoneyInvalid, nonRetryable: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newWMFixture(t, tc.password)
			f.issue(wmLender, time.Hour, sim.StateTaken)
			if tc.setup != nil {
				tc.setup(f)
			}
			now := f.clock.Now()
			w := activities.Window{From: now.Add(-48 * time.Hour), To: now}
			if tc.window != nil {
				w = tc.window(now)
			}
			_, err := f.env.ExecuteActivity(wm.FetchAndUpsert, w)
			require.Error(t, err)
			var appErr *temporal.ApplicationError
			require.True(t, errors.As(err, &appErr), "error %T: %v", err, err)
			require.Equal(t, tc.wantType, appErr.Type(), "error: %v", err)
			require.Equal(t, tc.nonRetryable, appErr.NonRetryable(), "error: %v", err)
			require.NotContains(t, err.Error(), wmPassword)
			_, total, err := f.store.ListExternalLoans(context.Background(), models.ExternalLoanFilter{})
			require.NoError(t, err)
			require.Zero(t, total)
		})
	}
}
