package auth

import (
	"context"
	"errors"
	"time"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
)

// The console's sign-in limits. A sign-in is a deliberate act, once per
// session, so they are tighter than HTTP Basic's, and they hold across
// replicas and restarts: attempts are counted in the database.
const (
	// SignInWindow is how long a failed sign-in counts; a blocked user or
	// address may try again after it.
	SignInWindow = 15 * time.Minute
	// MaxSignInFailuresPerUser failed sign-ins for one username from one
	// address block it there until a success or the window's end. Kept per
	// address: counted across all addresses, anyone could lock a colleague
	// out by failing on purpose. Guessing one account from many addresses
	// is bounded by each address's own limit.
	MaxSignInFailuresPerUser = 5
	// MaxSignInFailuresPerIP failed sign-ins from one address, for any
	// usernames, block the address. A success does not reset it, or one
	// valid account would let its holder guess others' passwords forever.
	MaxSignInFailuresPerIP = 20
	// maxUsernameRunes bounds the typed username as stored.
	maxUsernameRunes = 100
)

// Why a sign-in failed, for the audit log (the Cause of the
// failure.Error); the person signing in is only told it failed.
var (
	ErrUnknownUsername = errors.New("unknown username")
	ErrWrongPassword   = errors.New("wrong password")
	ErrAccountDisabled = errors.New("account disabled")
)

var errTooManySignIns = &failure.Error{Kind: failure.KindTooManyRequests,
	Detail: "too many failed sign-ins for this account or from this address"}

// SignIn checks a console sign-in of username from address ip. The attempt
// is reserved in the database before the password is checked, so parallel
// attempts never check more passwords than the limits allow, whichever
// replica they reach. Every username costs one bcrypt comparison, known or
// not, enabled or not. A refusal is a KindUnauthorized *failure.Error whose
// Cause says why (ErrUnknownUsername, ErrWrongPassword, ErrAccountDisabled),
// or KindTooManyRequests.
func (a *Authenticator) SignIn(ctx context.Context, username, password, ip string) (*models.Staff, error) {
	now := a.now()
	attempt := &models.SignInAttempt{At: now, Username: truncate(username, maxUsernameRunes), ClientIP: ip}
	n, err := a.store.ReserveSignInAttempt(ctx, attempt, now.Add(-SignInWindow))
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	// Settled whatever becomes of the request: an attempt left pending
	// counts as a failure for the whole window. That is also the fallback
	// when settling fails: stricter, never looser.
	settle := context.WithoutCancel(ctx)
	if n.UserIP > MaxSignInFailuresPerUser || n.IP > MaxSignInFailuresPerIP {
		_ = a.store.DropSignInAttempt(settle, attempt.ID)
		return nil, errTooManySignIns
	}

	st, err := a.store.StaffByUsername(ctx, username)
	hash, why := "", ErrUnknownUsername
	switch {
	case err == nil:
		hash, why = st.PasswordHash, ErrWrongPassword
	case !errors.Is(err, models.ErrNotFound):
		_ = a.store.DropSignInAttempt(settle, attempt.ID)
		return nil, failure.Unavailable(err)
	}
	ok := a.checkPassword(hash, password)
	if ok && !st.Active {
		ok, why = false, ErrAccountDisabled
	}
	if !ok {
		_ = a.store.SettleSignInAttempt(settle, attempt.ID, models.AttemptFailed)
		return nil, &failure.Error{Kind: failure.KindUnauthorized, Detail: "wrong username or password", Cause: why}
	}
	_ = a.store.SettleSignInAttempt(settle, attempt.ID, models.AttemptOK)
	// Attempts older than the window count no more; a success is rare
	// enough to pay for the purge, and the next one retries a failed purge.
	_ = a.store.PurgeSignInAttempts(settle, now.Add(-SignInWindow))
	return st, nil
}

// truncate bounds free text to n runes.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
