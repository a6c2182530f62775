package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/ratelimit"
	"github.com/loanflow/loanflow/internal/testkit/kit"
	"github.com/loanflow/loanflow/models"
)

// newLimitedEnv is an env whose partners follow limit unless given their
// own, on the kit's clock.
func newLimitedEnv(t *testing.T, limit ratelimit.Limit) (*env, *kit.Kit) {
	t.Helper()
	k, eng := kit.NewScripted(t, kit.WithPartnerLimit(limit))
	return &env{t: t, store: k.Store, engine: eng, router: checked(t, NewRouter(k.Service))}, k
}

func requireLimitHeaders(t *testing.T, res response, limit, remaining, reset string) {
	t.Helper()
	require.Equal(t, limit, res.Header().Get("RateLimit-Limit"), "RateLimit-Limit")
	require.Equal(t, remaining, res.Header().Get("RateLimit-Remaining"), "RateLimit-Remaining")
	require.Equal(t, reset, res.Header().Get("RateLimit-Reset"), "RateLimit-Reset")
}

func TestPartnerOverItsBurstIsRefused(t *testing.T) {
	e, k := newLimitedEnv(t, ratelimit.Limit{Rate: 1, Burst: 2})
	res := e.get(demo, "/v1/loans")
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	requireLimitHeaders(t, res, "2", "1", "1")
	require.Empty(t, res.Header().Get("Retry-After"))
	res = e.get(demo, "/v1/loans")
	require.Equal(t, http.StatusOK, res.Code)
	requireLimitHeaders(t, res, "2", "0", "2")

	// Over the limit, a submission is refused before it does anything.
	res = e.post(demo, "/v1/loans", application(), key("over-the-limit"))
	p := res.problem(t, http.StatusTooManyRequests)
	require.Equal(t, problemTypePrefix+"rate-limited", p.Type)
	require.Contains(t, p.Detail, "2 requests at once or 1 per second")
	require.Equal(t, "1", res.Header().Get("Retry-After"))
	requireLimitHeaders(t, res, "2", "0", "2")
	require.Empty(t, e.engine.Starts(), "no workflow started")
	var loans int64
	require.NoError(t, e.store.DB.Model(&models.Loan{}).Count(&loans).Error)
	require.Zero(t, loans, "no loan written")

	// Another partner has its own bucket.
	res = e.get(other, "/v1/loans")
	require.Equal(t, http.StatusOK, res.Code)
	requireLimitHeaders(t, res, "2", "1", "1")

	// A token comes back after a second at 1/s; the refused requests took none.
	k.Clock.Advance(999 * time.Millisecond)
	e.get(demo, "/v1/loans").problem(t, http.StatusTooManyRequests)
	k.Clock.Advance(time.Millisecond)
	res = e.post(demo, "/v1/loans", application(), key("after-the-wait"))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	require.Len(t, e.engine.Starts(), 1)
}

// The limit counts authenticated requests of the account: failed sign-ins
// are the login throttle's, and never spend a partner's bucket.
func TestRateLimitAppliesAfterAuthentication(t *testing.T) {
	e, _ := newLimitedEnv(t, ratelimit.Limit{Rate: 1, Burst: 1})
	for range 3 {
		res := e.get(creds{User: demo.User, Password: "wrong"}, "/v1/loans")
		res.problem(t, http.StatusUnauthorized)
		require.Empty(t, res.Header().Get("RateLimit-Limit"))
	}
	require.Equal(t, http.StatusOK, e.get(demo, "/v1/loans").Code)
	e.get(demo, "/v1/loans").problem(t, http.StatusTooManyRequests)
}

func TestAdminSetsAPartnersRateLimit(t *testing.T) {
	e, _ := newLimitedEnv(t, ratelimit.Limit{Rate: 1, Burst: 1})
	require.Equal(t, http.StatusOK, e.get(demo, "/v1/loans").Code)
	e.get(demo, "/v1/loans").problem(t, http.StatusTooManyRequests)

	res := e.post(admin, "/backoffice/v1/partners/demo/rate-limit", map[string]any{"rate_per_second": "2.5", "burst": 4}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	got := res.json(t)
	require.Equal(t, 2.5, got["rate_per_second"])
	require.Equal(t, float64(4), got["burst"])
	require.NotContains(t, got, "secret")
	p := e.partner("demo")
	require.Equal(t, 2.5, p.RatePerSecond)
	require.Equal(t, 4, p.RateBurst)

	// From the partner's next request, without waiting: a fresh bucket.
	for i := range 4 {
		res := e.get(demo, "/v1/loans")
		require.Equal(t, http.StatusOK, res.Code, "request %d", i)
		require.Equal(t, "4", res.Header().Get("RateLimit-Limit"))
	}
	res = e.get(demo, "/v1/loans")
	res.problem(t, http.StatusTooManyRequests)
	require.Equal(t, "1", res.Header().Get("Retry-After"), "0.4 s at 2.5/s, rounded up")
	require.Equal(t, "2", res.Header().Get("RateLimit-Reset"), "1.6 s to refill 4 at 2.5/s, rounded up")

	list := e.get(admin, "/backoffice/v1/partners").json(t)["partners"].([]any)
	for _, item := range list {
		m := item.(map[string]any)
		if m["username"] == "demo" {
			require.Equal(t, 2.5, m["rate_per_second"])
		} else {
			require.Nil(t, m["rate_per_second"], "default")
			require.Nil(t, m["burst"], "default")
		}
	}

	// Null (or absent, or 0) is the deployment's default again.
	res = e.post(admin, "/backoffice/v1/partners/demo/rate-limit", map[string]any{"rate_per_second": nil}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	got = res.json(t)
	require.Nil(t, got["rate_per_second"])
	require.Nil(t, got["burst"])
	res = e.get(demo, "/v1/loans")
	require.Equal(t, http.StatusOK, res.Code)
	require.Equal(t, "1", res.Header().Get("RateLimit-Limit"))

	// Bad values are named; nothing changes.
	pr := e.post(admin, "/backoffice/v1/partners/demo/rate-limit", map[string]any{"rate_per_second": "fast", "burst": 1.5}, nil).problem(t, http.StatusBadRequest)
	require.ElementsMatch(t, []string{"rate_per_second", "burst"}, pr.fields())
	for _, body := range []map[string]any{{"rate_per_second": -1, "burst": -1}, {"rate_per_second": 20000, "burst": 1000000}} {
		pr = e.post(admin, "/backoffice/v1/partners/demo/rate-limit", body, nil).problem(t, http.StatusBadRequest)
		require.ElementsMatch(t, []string{"rate_per_second", "burst"}, pr.fields(), body)
	}
	require.Zero(t, e.partner("demo").RateBurst)
	e.post(admin, "/backoffice/v1/partners/nobody/rate-limit", map[string]any{"burst": 3}, nil).problem(t, http.StatusNotFound)

	var events []models.ConsoleEvent
	require.NoError(t, e.store.DB.WithContext(context.Background()).Where("action = ?", "set_partner_rate_limit").Order("id").Find(&events).Error)
	require.Len(t, events, 5, "two changes, three refusals (a body that does not decode reaches no account)")
	require.Equal(t, models.OutcomeOK, events[0].Outcome)
	require.Equal(t, "rate 2.5/s, burst 4 (in effect: 2.5/s, burst 4)", events[0].Detail)
	require.Equal(t, "rate default, burst default (in effect: 1/s, burst 1)", events[1].Detail)
}
