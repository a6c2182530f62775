package auth

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/models"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

func TestCredentialCache(t *testing.T) {
	store := testkit.Store(t)
	a := New(store)
	clock := time.Now()
	a.partners.now = func() time.Time { return clock }
	ctx := context.Background()
	demo := testkit.Demo

	p, err := a.Partner(ctx, demo.User, demo.Password, "")
	require.NoError(t, err)
	require.Equal(t, "demo", p.Username)
	for k := range a.partners.entries {
		require.Equal(t, credentialKey(demo.User, demo.Password), k, "keyed by a hash, not the password")
	}

	// Change the password: the cached check still answers within the TTL,
	// so bcrypt does not run per request...
	hash, err := models.HashPassword("rotated")
	require.NoError(t, err)
	require.NoError(t, store.DB.Model(&models.Partner{}).Where("username = ?", "demo").Update("password_hash", hash).Error)
	_, err = a.Partner(ctx, demo.User, demo.Password, "")
	require.NoError(t, err)

	// ...and not after it.
	clock = clock.Add(credentialTTL + time.Second)
	_, err = a.Partner(ctx, demo.User, demo.Password, "")
	require.Equal(t, failure.KindUnauthorized, failure.KindOf(err))
	_, err = a.Partner(ctx, demo.User, "rotated", "")
	require.NoError(t, err)

	// Failures are never cached.
	_, err = a.Partner(ctx, demo.User, "guess", "")
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
	a := New(testkit.Store(t))
	clock := time.Now()
	a.limiter.now = func() time.Time { return clock }
	ctx := context.Background()
	uw := testkit.Underwriter

	for range maxFailuresPerUserIP {
		_, err := a.Staff(ctx, uw.User, "guess", "203.0.113.9")
		require.Equal(t, failure.KindUnauthorized, failure.KindOf(err))
	}
	_, err := a.Staff(ctx, uw.User, uw.Password, "203.0.113.9")
	require.Equal(t, failure.KindTooManyRequests, failure.KindOf(err))
	_, err = a.Staff(ctx, uw.User, uw.Password, "198.51.100.1")
	require.NoError(t, err, "another address is not blocked")
	_, err = a.Partner(ctx, testkit.Demo.User, testkit.Demo.Password, "203.0.113.9")
	require.NoError(t, err, "another user from the same address is not blocked")

	clock = clock.Add(FailureWindow + time.Second)
	_, err = a.Staff(ctx, uw.User, uw.Password, "203.0.113.9")
	require.NoError(t, err, "the failures aged out")
}
