package iutefacade

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/api"
	"github.com/loanflow/loanflow/internal/ratelimit"
	"github.com/loanflow/loanflow/internal/testkit/kit"
	"github.com/loanflow/loanflow/models"
)

// The façade takes a partner's requests from the same bucket as /v1 and
// answers over the limit with its own HTML error page, a 429 with the
// RateLimit headers and Retry-After.
func TestFacadeRateLimit(t *testing.T) {
	k, eng := kit.NewScripted(t, kit.StartAt(testNow), kit.WithPartnerLimit(ratelimit.Limit{Rate: 0.5, Burst: 2}))
	r := api.NewRouter(k.Service)
	Mount(r, k.Service, Options{Logger: k.Logger})
	e := &env{t: t, store: k.Store, clock: k.Clock, router: r}
	calc := url.Values{"loan_amount": {"1000"}, "loan_duration": {"6"}, "partner_type": {"post"}}

	res := e.postForm(&demo, pathCalc, calc)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "2", res.Header().Get("RateLimit-Limit"))
	require.Equal(t, "1", res.Header().Get("RateLimit-Remaining"))
	require.Equal(t, "2", res.Header().Get("RateLimit-Reset"))
	// The same bucket as /v1's.
	v1 := e.get(&demo, "/v1/loans", nil)
	require.Equal(t, http.StatusOK, v1.Code)
	require.Equal(t, "0", v1.Header().Get("RateLimit-Remaining"))

	res = e.postMultipart(&demo, pathNewLoan, application("I12356789T", "John", "Smith"))
	body := htmlError(t, res, http.StatusTooManyRequests)
	require.Contains(t, body, msgRateLimited)
	require.Equal(t, "2", res.Header().Get("Retry-After"), "one request at 0.5/s")
	require.Equal(t, "2", res.Header().Get("RateLimit-Limit"))
	require.Equal(t, "0", res.Header().Get("RateLimit-Remaining"))
	require.Equal(t, "4", res.Header().Get("RateLimit-Reset"))
	require.Empty(t, eng.Starts(), "a refused application starts nothing")
	var loans int64
	require.NoError(t, e.store.DB.Model(&models.Loan{}).Count(&loans).Error)
	require.Zero(t, loans)
	res = e.get(&demo, "/v1/loans", nil)
	require.Equal(t, http.StatusTooManyRequests, res.Code, "nor does /v1 get round it")

	// Other partners are unaffected.
	res = e.postForm(&other, pathCalc, calc)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "1", res.Header().Get("RateLimit-Remaining"))
}
