// Package auth checks the credentials of partners and staff, for every front
// end: HTTP Basic on /v1, /backoffice/v1 and the Iute façade, and the
// console's sign-in form. Guessing is throttled here, once, so every front
// end answers it the same way.
//
// Accounts are read from the database on every check, so disabling an
// account, changing a role or a password, or rotating a partner's
// credentials applies to the next request on every replica. Only the bcrypt
// comparison is remembered (verifiedCache), and concurrent identical checks
// share one comparison.
package auth

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
)

// Options are an Authenticator's clock and password comparison; the zero
// value is production's.
type Options struct {
	// Now is the clock failures are counted on (time.Now when nil).
	Now func() time.Time
	// CheckPassword compares a password with a bcrypt hash, "" standing
	// for an unknown account (models.CheckPassword when nil). Tests count
	// or hold the comparisons with it.
	CheckPassword func(hash, password string) bool
}

// Authenticator checks credentials against partners and staff.
type Authenticator struct {
	store         *models.Store
	now           func() time.Time
	checkPassword func(hash, password string) bool
	verified      *verifiedCache
	flight        singleflight.Group
	limiter       *failureLimiter
}

// New is an Authenticator over the accounts in store.
func New(store *models.Store, o Options) *Authenticator {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.CheckPassword == nil {
		o.CheckPassword = models.CheckPassword
	}
	return &Authenticator{
		store: store, now: o.Now, checkPassword: o.CheckPassword,
		verified: newVerifiedCache(o.Now), limiter: newFailureLimiter(o.Now),
	}
}

// ErrBadCredentials answers missing or wrong credentials.
var ErrBadCredentials = &failure.Error{Kind: failure.KindUnauthorized, Detail: "missing or wrong credentials"}

// Partner authenticates a partner calling from address ip.
func (a *Authenticator) Partner(ctx context.Context, username, password, ip string) (*models.Partner, error) {
	return basic(a, ctx, username, password, ip, a.store.PartnerByUsername,
		func(p *models.Partner) (string, bool) { return p.PasswordHash, p.Active })
}

// Staff authenticates a back-office user calling from address ip.
func (a *Authenticator) Staff(ctx context.Context, username, password, ip string) (*models.Staff, error) {
	return basic(a, ctx, username, password, ip, a.store.StaffByUsername,
		func(s *models.Staff) (string, bool) { return s.PasswordHash, s.Active })
}

// basic checks HTTP Basic credentials: the account as stored now, its
// password compared at most once (match), and the guessing limits.
//
// Revocation is one indexed query per check, not a cache of accounts: an
// in-process cache would see an admin change made through this process at
// once but one made on another replica only after its bound, and a
// disabled or rotated credential must be refused from the next request
// wherever it arrives. The query is kept cheap instead (a prepared
// statement for partners, models.Store.PartnerByUsername).
func basic[T any](a *Authenticator, ctx context.Context, username, password, ip string,
	lookup func(context.Context, string) (*T, error), state func(*T) (hash string, active bool)) (*T, error) {
	// The limits come first, before a remembered match could answer: a
	// blocked guesser must not learn that a guess is right.
	if a.limiter.blocked(username, ip) {
		return nil, errTooManyFailures
	}
	acct, err := lookup(ctx, username)
	hash, active := "", false
	switch {
	case err == nil:
		hash, active = state(acct)
	case !errors.Is(err, models.ErrNotFound):
		return nil, failure.Unavailable(err)
	}
	ok, err := a.match(username, password, hash, ip, active)
	if err != nil {
		return nil, err
	}
	if !ok || !active {
		return nil, ErrBadCredentials
	}
	return acct, nil
}

// match compares password with the stored hash ("" for an unknown
// account: one comparison whatever the case, so timing tells nothing).
// Concurrent identical checks from one address share one comparison, and a
// proven match is remembered. Each comparison reserves a failure first and
// gives it back only when the password is right and the account active, so
// parallel guesses never run more comparisons than the limits allow.
func (a *Authenticator) match(username, password, hash, ip string, active bool) (bool, error) {
	key := a.verified.key(username, password, hash)
	// A remembered match answers without joining a flight: what the
	// flight would answer too, without its bookkeeping. Only a check that
	// finds none (the first, or one after expiry) joins.
	if hash != "" && a.verified.has(key) {
		return true, nil
	}
	v, err, _ := a.flight.Do(string(key[:])+ip, func() (any, error) {
		// Looked up inside the flight: a check arriving just after
		// another finished finds its result here.
		if hash != "" && a.verified.has(key) {
			return true, nil
		}
		s, ok := a.limiter.reserve(username, ip)
		if !ok {
			return false, errTooManyFailures
		}
		matched := a.checkPassword(hash, password)
		if matched && active {
			a.limiter.release(s)
			a.verified.put(key)
		}
		return matched, nil
	})
	if err != nil {
		return false, err
	}
	return v.(bool), nil
}
