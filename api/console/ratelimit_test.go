package console

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/ratelimit"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/service"
)

func TestAdminSetsAPartnersRateLimit(t *testing.T) {
	e := newEnv(t)
	e.mount(service.New(service.Deps{Store: e.store, Engine: e.kit.Engine, Now: e.clock.Now, ApprovalTTL: e.opts.ApprovalSLA,
		Logger: e.kit.Logger, PartnerLimit: ratelimit.Limit{Rate: 1, Burst: 1}}))
	b := e.signedIn(admin)
	page := b.get(Prefix + "/admin/partners").Body.String()
	has(t, page, "the default (1 per second, burst 1)")
	has(t, page, "default, burst default")

	require.Equal(t, http.StatusOK, e.partnerCall("demo", "demo-secret"))
	require.Equal(t, http.StatusTooManyRequests, e.partnerCall("demo", "demo-secret"))

	res := b.post(Prefix+"/admin/partners/rate-limit", url.Values{"username": {"demo"}, "rate_per_second": {"5"}, "burst": {"3"}})
	require.Equal(t, http.StatusSeeOther, res.Code, res.Body.String())
	page = b.follow(res)
	has(t, page, "Rate limit of partner demo: 5 per second, burst 3, from its next request.")
	has(t, page, "5/s, burst 3")
	require.Equal(t, "partner demo", e.lastEvent(actionPartnerLimit).Target)
	for range 3 {
		require.Equal(t, http.StatusOK, e.partnerCall("demo", "demo-secret"))
	}
	require.Equal(t, http.StatusTooManyRequests, e.partnerCall("demo", "demo-secret"))

	// Empty fields go back to the default.
	res = b.post(Prefix+"/admin/partners/rate-limit", url.Values{"username": {"demo"}, "rate_per_second": {""}, "burst": {""}})
	require.Equal(t, http.StatusSeeOther, res.Code, res.Body.String())
	has(t, b.follow(res), "Rate limit of partner demo: 1 per second, burst 1")

	for _, tc := range []struct {
		name string
		form url.Values
		msg  string
	}{
		{"not a number", url.Values{"username": {"demo"}, "rate_per_second": {"fast"}, "burst": {"2"}}, "Requests per second, such as 5 or 0.5"},
		{"negative burst", url.Values{"username": {"demo"}, "rate_per_second": {"2"}, "burst": {"-2"}}, "whole number of requests from 0 (the default) to 100000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := b.post(Prefix+"/admin/partners/rate-limit", tc.form)
			require.Equal(t, http.StatusBadRequest, res.Code)
			has(t, res.Body.String(), tc.msg)
			has(t, res.Body.String(), "The rate limit was not changed.")
		})
	}
	p := e.kit.Partner(testkit.Demo)
	require.Zero(t, p.RatePerSecond)
	require.Zero(t, p.RateBurst)
	require.Equal(t, http.StatusNotFound, b.post(Prefix+"/admin/partners/rate-limit", url.Values{"username": {"ghost"}, "burst": {"2"}}).Code)
}
