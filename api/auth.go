package api

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/models"
)

// credentialTTL is how long a verified username and password are trusted
// without running bcrypt again.
const credentialTTL = 60 * time.Second

// maxCachedCredentials bounds the cache; only successful logins enter it.
const maxCachedCredentials = 10000

// Context keys of the authenticated principal.
const (
	ctxPartner = "loanflow.partner"
	ctxStaff   = "loanflow.staff"
)

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

// authenticator checks HTTP Basic credentials against partners and staff.
type authenticator struct {
	store    *models.Store
	partners *credentialCache[models.Partner]
	staff    *credentialCache[models.Staff]
	limiter  *failureLimiter
}

func newAuthenticator(store *models.Store, limiter *failureLimiter) *authenticator {
	return &authenticator{store: store, partners: newCredentialCache[models.Partner](), staff: newCredentialCache[models.Staff](), limiter: limiter}
}

var errBadCredentials = &Error{Kind: KindUnauthorized, Detail: "missing or wrong credentials"}

// verify runs one bcrypt comparison whatever happens, so neither an unknown
// username nor an inactive account answers faster than a wrong password.
func verify[T any](ctx context.Context, limiter *failureLimiter, cache *credentialCache[T], username, password string,
	lookup func(context.Context, string) (*T, error), hashOf func(*T) string, active func(*T) bool) (*T, error) {
	key := credentialKey(username, password)
	if p, ok := cache.get(key); ok {
		return &p, nil
	}
	ip := clientIP(ctx)
	if limiter.blocked(username, ip) {
		return nil, errTooManyFailures
	}
	p, err := lookup(ctx, username)
	switch {
	case errors.Is(err, models.ErrNotFound):
		models.CheckPassword("", password) // the dummy comparison
		limiter.fail(username, ip)
		return nil, errBadCredentials
	case err != nil:
		return nil, unavailable(err)
	}
	if !models.CheckPassword(hashOf(p), password) || !active(p) {
		limiter.fail(username, ip)
		return nil, errBadCredentials
	}
	cache.put(key, *p)
	return p, nil
}

// partner authenticates a partner (the Iute façade uses it too).
func (a *authenticator) partner(ctx context.Context, username, password string) (*models.Partner, error) {
	return verify(ctx, a.limiter, a.partners, username, password, a.store.PartnerByUsername,
		func(p *models.Partner) string { return p.PasswordHash }, func(p *models.Partner) bool { return p.Active })
}

// staffMember authenticates a back-office user.
func (a *authenticator) staffMember(ctx context.Context, username, password string) (*models.Staff, error) {
	return verify(ctx, a.limiter, a.staff, username, password, a.store.StaffByUsername,
		func(s *models.Staff) string { return s.PasswordHash }, func(s *models.Staff) bool { return s.Active })
}

// requirePartner is the /v1 middleware.
func (h *handlers) requirePartner(c *gin.Context) {
	user, pw, ok := c.Request.BasicAuth()
	if !ok {
		h.unauthorized(c, errBadCredentials)
		return
	}
	p, err := h.auth.partner(WithClientIP(c.Request.Context(), c.ClientIP()), user, pw)
	if err != nil {
		h.unauthorized(c, err)
		return
	}
	c.Set(ctxPartner, p)
	c.Next()
}

// requireStaff is the /backoffice/v1 middleware; roles are checked by the
// Service per action.
func (h *handlers) requireStaff(c *gin.Context) {
	user, pw, ok := c.Request.BasicAuth()
	if !ok {
		h.unauthorized(c, errBadCredentials)
		return
	}
	st, err := h.auth.staffMember(WithClientIP(c.Request.Context(), c.ClientIP()), user, pw)
	if err != nil {
		h.unauthorized(c, err)
		return
	}
	c.Set(ctxStaff, st)
	c.Next()
}

func (h *handlers) unauthorized(c *gin.Context, err error) {
	switch KindOf(err) {
	case KindUnauthorized:
		c.Header("WWW-Authenticate", `Basic realm="loanflow"`)
	case KindTooManyRequests:
		c.Header("Retry-After", "900")
	}
	h.respondError(c, err)
}

func partnerOf(c *gin.Context) *models.Partner { return c.MustGet(ctxPartner).(*models.Partner) }

func staffOf(c *gin.Context) *models.Staff { return c.MustGet(ctxStaff).(*models.Staff) }
