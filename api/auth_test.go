package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/internal/testkit/kit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name  string
		path  string
		creds *creds
	}{
		{"no credentials", "/v1/loans", nil},
		{"wrong password", "/v1/loans", &creds{User: "demo", Password: "wrong"}},
		{"unknown partner", "/v1/loans", &creds{User: "nobody", Password: "demo-secret"}},
		{"inactive partner", "/v1/loans", &sleepy},
		{"staff on the partner API", "/v1/loans", &underwriter},
		{"partner on the back office", "/backoffice/v1/loans", &demo},
		{"staff wrong password", "/backoffice/v1/loans", &creds{User: "underwriter", Password: "demo-secret"}},
		{"unknown staff", "/backoffice/v1/loans", &creds{User: "ghost", Password: "x"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.do(request{method: http.MethodGet, path: tc.path, creds: tc.creds})
			res.problem(t, http.StatusUnauthorized)
			require.Equal(t, `Basic realm="loanflow"`, res.Header().Get("WWW-Authenticate"))
		})
	}
	require.Equal(t, http.StatusOK, e.get(demo, "/v1/loans").Code)
	require.Equal(t, http.StatusOK, e.get(underwriter, "/backoffice/v1/loans").Code)
}

func TestThrottledRequestsGetA429Problem(t *testing.T) {
	e := newEnv(t)
	wrong := creds{User: "underwriter", Password: "nope"}
	for range 10 { // the per-user-and-address limit
		require.Equal(t, http.StatusUnauthorized, e.get(wrong, "/backoffice/v1/loans").Code)
	}
	res := e.get(underwriter, "/backoffice/v1/loans")
	require.Equal(t, http.StatusTooManyRequests, res.Code)
	require.Equal(t, "900", res.Header().Get("Retry-After"))
	require.Equal(t, "application/problem+json", res.Header().Get("Content-Type"))
}

// newCheckedEnv is newEnv with the password comparisons counted and
// holdable.
func newCheckedEnv(t *testing.T) (*env, *testkit.PasswordChecks) {
	t.Helper()
	checks := testkit.NewPasswordChecks(t)
	k, eng := kit.NewScripted(t, kit.WithPasswordChecks(checks))
	return &env{t: t, store: k.Store, engine: eng, router: checked(t, NewRouter(k.Service))}, checks
}

// TestRevocationAppliesToTheNextRequest: an admin's change to an account
// holds from the very next request, though the previous one was answered
// from the remembered password check.
func TestRevocationAppliesToTheNextRequest(t *testing.T) {
	ctx := context.Background()
	ev := func() *models.ConsoleEvent {
		return &models.ConsoleEvent{At: testNow, Actor: "admin", Action: "test", Outcome: models.OutcomeOK}
	}
	hash, err := models.HashPassword("changed-secret")
	require.NoError(t, err)
	cases := []struct {
		name   string
		who    creds
		warm   string // a path the account may read before the change
		change func(e *env)
		next   func(e *env, ref int64) response
		status int
	}{
		{"a disabled underwriter approves", underwriter, "/backoffice/v1/loans", func(e *env) {
			require.NoError(t, e.store.SetStaffActive(ctx, e.staffID(underwriter), false, ev()))
		}, func(e *env, ref int64) response {
			return e.post(underwriter, fmt.Sprintf("/backoffice/v1/loans/%d/approve", ref), nil, nil)
		}, http.StatusUnauthorized},
		{"a demoted operations user authorizes a cash release", operations, "/backoffice/v1/loans", func(e *env) {
			require.NoError(t, e.store.SetStaffRole(ctx, e.staffID(operations), lending.RoleUnderwriter, ev()))
		}, func(e *env, ref int64) response {
			return e.post(operations, fmt.Sprintf("/backoffice/v1/loans/%d/cash-release/authorize", ref), nil, nil)
		}, http.StatusForbidden},
		{"an underwriter's old password after a reset", underwriter, "/backoffice/v1/loans", func(e *env) {
			require.NoError(t, e.store.SetStaffPassword(ctx, e.staffID(underwriter), hash, "", ev()))
		}, func(e *env, ref int64) response {
			return e.post(underwriter, fmt.Sprintf("/backoffice/v1/loans/%d/approve", ref), nil, nil)
		}, http.StatusUnauthorized},
		{"a partner's old password after rotation", demo, "/v1/loans", func(e *env) {
			require.NoError(t, e.store.SetPartnerPassword(ctx, e.partner(demo.User).ID, hash, ev()))
		}, func(e *env, ref int64) response {
			return e.post(demo, fmt.Sprintf("/v1/loans/%d/cancel", ref), map[string]any{"reason": "x"}, nil)
		}, http.StatusUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, checks := newCheckedEnv(t)
			l := e.insertLoan("demo", lending.StatusDocumentsSubmitted, "2000.00")
			require.Equal(t, http.StatusOK, e.get(tc.who, tc.warm).Code)
			require.Equal(t, http.StatusOK, e.get(tc.who, tc.warm).Code)
			require.Equal(t, 1, checks.Started(), "the second request was answered from the remembered check")
			tc.change(e)
			tc.next(e, l.Ref).problem(t, tc.status)
			require.Empty(t, e.engine.Updates(), "nothing reached the workflow")
		})
	}
}

func (e *env) staffID(c creds) uint {
	e.t.Helper()
	st, err := e.store.StaffByUsername(context.Background(), c.User)
	require.NoError(e.t, err)
	return st.ID
}

// sendAtOnce sends the requests in parallel and counts their status codes.
func (e *env) sendAtOnce(reqs []request) map[int]int {
	return testkit.AtOnce(reqs, func(r request) int { return e.do(r).Code })
}

func guesses(n, from int) []request {
	out := make([]request, n)
	for i := range out {
		out[i] = request{method: http.MethodGet, path: "/v1/loans", creds: &creds{User: demo.User, Password: fmt.Sprintf("guess-%d", from+i)}}
	}
	return out
}

// TestParallelGuessesCheckAtMostTheLimit: 100 wrong passwords sent at once
// to /v1 for one partner are ten guesses; the rest are refused unchecked.
func TestParallelGuessesCheckAtMostTheLimit(t *testing.T) {
	e, checks := newCheckedEnv(t)
	count := e.sendAtOnce(guesses(100, 0))
	require.Equal(t, 10, checks.Started())
	require.Equal(t, map[int]int{http.StatusUnauthorized: 10, http.StatusTooManyRequests: 90}, count)
}

// TestRightPasswordInsideABurstIsRefused: while ten wrong passwords are
// being checked, a burst of 30 more with the right one among them is
// refused without a check.
func TestRightPasswordInsideABurstIsRefused(t *testing.T) {
	e, checks := newCheckedEnv(t)
	checks.Hold()
	first := make(chan int, 10)
	for _, r := range guesses(10, 0) {
		go func() { first <- e.do(r).Code }()
	}
	checks.AwaitStarted(t, 10)
	burst := append(guesses(29, 10), request{method: http.MethodGet, path: "/v1/loans", creds: &demo})
	done := make(chan map[int]int, 1)
	go func() { done <- e.sendAtOnce(burst) }()
	select {
	case count := <-done:
		require.Equal(t, map[int]int{http.StatusTooManyRequests: 30}, count)
	case <-time.After(10 * time.Second):
		t.Fatal("the burst waited for password checks: it was checked past the limit")
	}
	checks.Release()
	for range 10 {
		require.Equal(t, http.StatusUnauthorized, <-first)
	}
	require.Equal(t, 10, checks.Started())
}
