package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
		{"wrong password", "/v1/loans", &creds{"demo", "wrong"}},
		{"unknown partner", "/v1/loans", &creds{"nobody", "demo-secret"}},
		{"inactive partner", "/v1/loans", &sleepy},
		{"staff on the partner API", "/v1/loans", &underwriter},
		{"partner on the back office", "/backoffice/v1/loans", &demo},
		{"staff wrong password", "/backoffice/v1/loans", &creds{"underwriter", "demo-secret"}},
		{"unknown staff", "/backoffice/v1/loans", &creds{"ghost", "x"}},
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

func TestCredentialCache(t *testing.T) {
	e := newEnv(t)
	a := newAuthenticator(e.store, newFailureLimiter())
	clock := time.Now()
	a.partners.now = func() time.Time { return clock }
	ctx := context.Background()

	p, err := a.partner(ctx, demo.user, demo.pw)
	require.NoError(t, err)
	require.Equal(t, "demo", p.Username)
	for k := range a.partners.entries {
		require.Equal(t, credentialKey(demo.user, demo.pw), k, "keyed by a hash, not the password")
	}

	// Change the password: the cached check still answers within the TTL,
	// so bcrypt does not run per request...
	hash, err := models.HashPassword("rotated")
	require.NoError(t, err)
	require.NoError(t, e.store.DB.Model(&models.Partner{}).Where("username = ?", "demo").Update("password_hash", hash).Error)
	_, err = a.partner(ctx, demo.user, demo.pw)
	require.NoError(t, err)

	// ...and not after it.
	clock = clock.Add(credentialTTL + time.Second)
	_, err = a.partner(ctx, demo.user, demo.pw)
	require.Equal(t, KindUnauthorized, KindOf(err))
	_, err = a.partner(ctx, demo.user, "rotated")
	require.NoError(t, err)

	// Failures are never cached.
	_, err = a.partner(ctx, demo.user, "guess")
	require.Error(t, err)
	require.Len(t, a.partners.entries, 1)
}

func TestCredentialCacheBounded(t *testing.T) {
	c := newCredentialCache[int]()
	for i := 0; i < maxCachedCredentials+5; i++ {
		c.put(credentialKey("u", string(rune(i))), i)
	}
	require.LessOrEqual(t, len(c.entries), maxCachedCredentials)
}

// TestGuessingPasswordsIsThrottled: after ten wrong passwords for one user
// from one address, even the right one is answered 429 (without bcrypt)
// until the failures age out; other addresses and users are unaffected.
func TestGuessingPasswordsIsThrottled(t *testing.T) {
	e := newEnv(t)
	limiter := newFailureLimiter()
	clock := time.Now()
	limiter.now = func() time.Time { return clock }
	a := newAuthenticator(e.store, limiter)
	from := func(ip string) context.Context { return WithClientIP(context.Background(), ip) }

	for range maxFailuresPerUserIP {
		_, err := a.staffMember(from("203.0.113.9"), "underwriter", "guess")
		require.Equal(t, KindUnauthorized, KindOf(err))
	}
	_, err := a.staffMember(from("203.0.113.9"), "underwriter", "underwriter-secret")
	require.Equal(t, KindTooManyRequests, KindOf(err))
	_, err = a.staffMember(from("198.51.100.1"), "underwriter", "underwriter-secret")
	require.NoError(t, err, "another address is not blocked")
	_, err = a.partner(from("203.0.113.9"), demo.user, demo.pw)
	require.NoError(t, err, "another user from the same address is not blocked")

	clock = clock.Add(failureWindow + time.Second)
	_, err = a.staffMember(from("203.0.113.9"), "underwriter", "underwriter-secret")
	require.NoError(t, err, "the failures aged out")
}

func TestThrottledRequestsGetA429Problem(t *testing.T) {
	e := newEnv(t)
	wrong := creds{user: "underwriter", pw: "nope"}
	for range maxFailuresPerUserIP {
		require.Equal(t, http.StatusUnauthorized, e.get(wrong, "/backoffice/v1/loans").Code)
	}
	res := e.get(underwriter, "/backoffice/v1/loans")
	require.Equal(t, http.StatusTooManyRequests, res.Code)
	require.Equal(t, "900", res.Header().Get("Retry-After"))
	require.Equal(t, "application/problem+json", res.Header().Get("Content-Type"))
}
