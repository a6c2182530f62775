// Package auth checks the credentials of partners and staff, for every front
// end: HTTP Basic on /v1, /backoffice/v1 and the Iute façade. Guessing is
// throttled here, once, so every front end answers it the same way.
package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
)

// credentialTTL is how long a verified username and password are trusted
// without running bcrypt again.
const credentialTTL = 60 * time.Second

// maxCachedCredentials bounds the cache; only successful logins enter it.
const maxCachedCredentials = 10000

// credentialCache remembers successful credential checks, keyed by the
// SHA-256 of "username:password" so the password itself is never kept.
// A deactivated account keeps working for at most credentialTTL.
type credentialCache[T any] struct {
	mu      sync.Mutex
	entries map[[32]byte]cachedPrincipal[T]
	now     func() time.Time
}

type cachedPrincipal[T any] struct {
	principal T
	expires   time.Time
}

func newCredentialCache[T any]() *credentialCache[T] {
	return &credentialCache[T]{entries: map[[32]byte]cachedPrincipal[T]{}, now: time.Now}
}

func credentialKey(username, password string) [32]byte {
	return sha256.Sum256([]byte(username + ":" + password))
}

func (c *credentialCache[T]) get(key [32]byte) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || c.now().After(e.expires) {
		delete(c.entries, key)
		var zero T
		return zero, false
	}
	return e.principal, true
}

func (c *credentialCache[T]) put(key [32]byte, p T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.entries) >= maxCachedCredentials {
		for k, e := range c.entries {
			if now.After(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= maxCachedCredentials {
			clear(c.entries)
		}
	}
	c.entries[key] = cachedPrincipal[T]{principal: p, expires: now.Add(credentialTTL)}
}

// Authenticator checks credentials against partners and staff.
type Authenticator struct {
	store    *models.Store
	partners *credentialCache[models.Partner]
	staff    *credentialCache[models.Staff]
	limiter  *failureLimiter
}

// New is an Authenticator over the accounts in store.
func New(store *models.Store) *Authenticator {
	return &Authenticator{store: store, partners: newCredentialCache[models.Partner](), staff: newCredentialCache[models.Staff](), limiter: newFailureLimiter()}
}

// ErrBadCredentials answers missing or wrong credentials.
var ErrBadCredentials = &failure.Error{Kind: failure.KindUnauthorized, Detail: "missing or wrong credentials"}

// verify runs one bcrypt comparison whatever happens, so neither an unknown
// username nor an inactive account answers faster than a wrong password.
func verify[T any](ctx context.Context, limiter *failureLimiter, cache *credentialCache[T], username, password, ip string,
	lookup func(context.Context, string) (*T, error), hashOf func(*T) string, active func(*T) bool) (*T, error) {
	key := credentialKey(username, password)
	if p, ok := cache.get(key); ok {
		return &p, nil
	}
	if limiter.blocked(username, ip) {
		return nil, errTooManyFailures
	}
	p, err := lookup(ctx, username)
	switch {
	case errors.Is(err, models.ErrNotFound):
		models.CheckPassword("", password) // the dummy comparison
		limiter.fail(username, ip)
		return nil, ErrBadCredentials
	case err != nil:
		return nil, failure.Unavailable(err)
	}
	if !models.CheckPassword(hashOf(p), password) || !active(p) {
		limiter.fail(username, ip)
		return nil, ErrBadCredentials
	}
	cache.put(key, *p)
	return p, nil
}

// Partner authenticates a partner calling from address ip.
func (a *Authenticator) Partner(ctx context.Context, username, password, ip string) (*models.Partner, error) {
	return verify(ctx, a.limiter, a.partners, username, password, ip, a.store.PartnerByUsername,
		func(p *models.Partner) string { return p.PasswordHash }, func(p *models.Partner) bool { return p.Active })
}

// Staff authenticates a back-office user calling from address ip.
func (a *Authenticator) Staff(ctx context.Context, username, password, ip string) (*models.Staff, error) {
	return verify(ctx, a.limiter, a.staff, username, password, ip, a.store.StaffByUsername,
		func(s *models.Staff) string { return s.PasswordHash }, func(s *models.Staff) bool { return s.Active })
}
