package api

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
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
