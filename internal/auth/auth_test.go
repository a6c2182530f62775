package auth

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/testclock"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// authenticator is an Authenticator over a fresh store, on clock, comparing
// passwords through checks.
func authenticator(t *testing.T, clock *testkit.Clock) (*Authenticator, *models.Store, *testkit.PasswordChecks) {
	t.Helper()
	store := testkit.Store(t)
	checks := testkit.NewPasswordChecks(t)
	return New(store, Options{Now: clock.Now, CheckPassword: checks.Check}), store, checks
}

// adminEvent is the audit entry an admin change is recorded with.
func adminEvent() *models.ConsoleEvent {
	return &models.ConsoleEvent{At: testkit.Start, Actor: "admin", Action: "test", Outcome: models.OutcomeOK}
}

// TestAccountChangesApplyToTheNextRequest: a disabled, demoted or reset
// account, or a rotated partner, is seen as it is now on the very next
// check, even though the previous check was remembered.
func TestAccountChangesApplyToTheNextRequest(t *testing.T) {
	ctx := context.Background()
	staff := func(c testkit.Creds) func(*Authenticator) (lending.Role, error) {
		return func(a *Authenticator) (lending.Role, error) {
			st, err := a.Staff(ctx, c.User, c.Password, "192.0.2.1")
			if err != nil {
				return "", err
			}
			return st.Role, nil
		}
	}
	partner := func(c testkit.Creds) func(*Authenticator) (lending.Role, error) {
		return func(a *Authenticator) (lending.Role, error) {
			_, err := a.Partner(ctx, c.User, c.Password, "192.0.2.1")
			return "", err
		}
	}
	newHash := func(t *testing.T) string {
		h, err := models.HashPassword("changed-secret")
		require.NoError(t, err)
		return h
	}
	cases := []struct {
		name     string
		check    func(*Authenticator) (lending.Role, error)
		change   func(t *testing.T, s *models.Store)
		wantRole lending.Role // "" with wantKind
		wantKind failure.Kind
	}{
		{"underwriter disabled", staff(testkit.Underwriter), func(t *testing.T, s *models.Store) {
			require.NoError(t, s.SetStaffActive(ctx, staffID(t, s, testkit.Underwriter), false, adminEvent()))
		}, "", failure.KindUnauthorized},
		{"operations demoted", staff(testkit.Operations), func(t *testing.T, s *models.Store) {
			require.NoError(t, s.SetStaffRole(ctx, staffID(t, s, testkit.Operations), lending.RoleUnderwriter, adminEvent()))
		}, lending.RoleUnderwriter, 0},
		{"underwriter's password reset", staff(testkit.Underwriter), func(t *testing.T, s *models.Store) {
			require.NoError(t, s.SetStaffPassword(ctx, staffID(t, s, testkit.Underwriter), newHash(t), "", adminEvent()))
		}, "", failure.KindUnauthorized},
		{"partner rotated", partner(testkit.Demo), func(t *testing.T, s *models.Store) {
			p, err := s.PartnerByUsername(ctx, testkit.Demo.User)
			require.NoError(t, err)
			require.NoError(t, s.SetPartnerPassword(ctx, p.ID, newHash(t), adminEvent()))
		}, "", failure.KindUnauthorized},
		{"partner disabled", partner(testkit.Demo), func(t *testing.T, s *models.Store) {
			p, err := s.PartnerByUsername(ctx, testkit.Demo.User)
			require.NoError(t, err)
			require.NoError(t, s.SetPartnerActive(ctx, p.ID, false, adminEvent()))
		}, "", failure.KindUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, store, checks := authenticator(t, testclock.New(testkit.Start))
			_, err := tc.check(a)
			require.NoError(t, err)
			_, err = tc.check(a)
			require.NoError(t, err)
			require.Equal(t, 1, checks.Started(), "the second check is remembered")

			tc.change(t, store)
			role, err := tc.check(a)
			if tc.wantKind != 0 {
				require.Equal(t, tc.wantKind, failure.KindOf(err), "%v", err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.wantRole, role)
		})
	}

	t.Run("the new password works at once", func(t *testing.T) {
		a, store, _ := authenticator(t, testclock.New(testkit.Start))
		_, err := a.Partner(ctx, testkit.Demo.User, testkit.Demo.Password, "")
		require.NoError(t, err)
		p, err := store.PartnerByUsername(ctx, testkit.Demo.User)
		require.NoError(t, err)
		require.NoError(t, store.SetPartnerPassword(ctx, p.ID, newHash(t), adminEvent()))
		_, err = a.Partner(ctx, testkit.Demo.User, "changed-secret", "")
		require.NoError(t, err)
	})
}

func staffID(t *testing.T, s *models.Store, c testkit.Creds) uint {
	t.Helper()
	st, err := s.StaffByUsername(context.Background(), c.User)
	require.NoError(t, err)
	return st.ID
}

// parallel runs n calls of f at once and returns their errors in order.
func parallel(n int, f func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func kinds(errs []error) map[failure.Kind]int {
	out := map[failure.Kind]int{}
	for _, err := range errs {
		if err == nil {
			out[0]++
			continue
		}
		out[failure.KindOf(err)]++
	}
	return out
}

// TestABurstOfOneCredentialRunsBcryptOnce: a partner's burst of identical
// requests costs one comparison: those arriving during it share it, those
// after it find it remembered.
func TestABurstOfOneCredentialRunsBcryptOnce(t *testing.T) {
	a, _, checks := authenticator(t, testclock.New(testkit.Start))
	errs := parallel(20, func(int) error {
		_, err := a.Partner(context.Background(), testkit.Demo.User, testkit.Demo.Password, "192.0.2.1")
		return err
	})
	require.Equal(t, map[failure.Kind]int{0: 20}, kinds(errs))
	require.Equal(t, 1, checks.Started())
}

// TestParallelGuessesCheckAtMostTheLimit: of many different passwords tried
// at once for one user from one address, no more than the limit are
// compared; the rest are refused unchecked.
func TestParallelGuessesCheckAtMostTheLimit(t *testing.T) {
	ctx := context.Background()
	uw := testkit.Underwriter
	t.Run("basic", func(t *testing.T) {
		a, _, checks := authenticator(t, testclock.New(testkit.Start))
		errs := parallel(100, func(i int) error {
			_, err := a.Staff(ctx, uw.User, fmt.Sprintf("guess-%d", i), "203.0.113.9")
			return err
		})
		// A reservation is taken and counted under one lock: exactly the
		// limit get one.
		require.Equal(t, maxFailuresPerUserIP, checks.Started())
		require.Equal(t, map[failure.Kind]int{failure.KindUnauthorized: maxFailuresPerUserIP, failure.KindTooManyRequests: 100 - maxFailuresPerUserIP}, kinds(errs))
	})
	t.Run("console", func(t *testing.T) {
		a, _, checks := authenticator(t, testclock.New(testkit.Start))
		errs := parallel(40, func(i int) error {
			_, err := a.SignIn(ctx, uw.User, fmt.Sprintf("guess-%d", i), "203.0.113.9")
			return err
		})
		// Attempts that see each other's reservations may all be refused:
		// at most the limit are compared, each a 401.
		require.LessOrEqual(t, checks.Started(), MaxSignInFailuresPerUser)
		k := kinds(errs)
		require.Equal(t, checks.Started(), k[failure.KindUnauthorized])
		require.Equal(t, 40-checks.Started(), k[failure.KindTooManyRequests])
	})
}

// burstPastTheLimit holds the comparisons, starts limit wrong guesses and
// waits until all of them are being compared; then, while they are, sends
// ten more guesses and the right password at once, and answers what those
// eleven got, the right password's last. No comparison may start for them.
func burstPastTheLimit(t *testing.T, checks *testkit.PasswordChecks, limit int, guess func(i int) error, right func() error) []error {
	t.Helper()
	checks.Hold()
	first := make(chan error, limit)
	for i := range limit {
		go func() { first <- guess(i) }()
	}
	checks.AwaitStarted(t, limit)
	burst := make(chan []error, 1)
	go func() {
		burst <- parallel(11, func(i int) error {
			if i == 10 {
				return right()
			}
			return guess(limit + i)
		})
	}()
	var late []error
	select {
	case late = <-burst:
	case <-time.After(10 * time.Second):
		t.Fatal("the burst waited for comparisons: it was checked past the limit")
	}
	checks.Release()
	for range limit {
		require.Equal(t, failure.KindUnauthorized, failure.KindOf(<-first))
	}
	require.Equal(t, limit, checks.Started(), "nothing past the limit was compared")
	return late
}

// TestRightPasswordPastTheLimitIsRefused: while the limit's worth of wrong
// passwords are being checked, the right one is refused like any other
// guess.
func TestRightPasswordPastTheLimitIsRefused(t *testing.T) {
	ctx := context.Background()
	uw := testkit.Underwriter
	cases := []struct {
		name  string
		limit int
		check func(a *Authenticator, password string) error
	}{
		{"basic", maxFailuresPerUserIP, func(a *Authenticator, password string) error {
			_, err := a.Staff(ctx, uw.User, password, "203.0.113.9")
			return err
		}},
		{"console", MaxSignInFailuresPerUser, func(a *Authenticator, password string) error {
			_, err := a.SignIn(ctx, uw.User, password, "203.0.113.9")
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, _, checks := authenticator(t, testclock.New(testkit.Start))
			late := burstPastTheLimit(t, checks, tc.limit,
				func(i int) error { return tc.check(a, fmt.Sprintf("guess-%d", i)) },
				func() error { return tc.check(a, uw.Password) })
			require.Equal(t, map[failure.Kind]int{failure.KindTooManyRequests: 11}, kinds(late))
		})
	}
}

// TestGuessingPasswordsIsThrottled: after ten wrong passwords for one user
// from one address, even the right one is answered 429 (without bcrypt)
// until the failures age out; other addresses and users are unaffected.
func TestGuessingPasswordsIsThrottled(t *testing.T) {
	clock := testclock.New(testkit.Start)
	a, _, checks := authenticator(t, clock)
	ctx := context.Background()
	uw := testkit.Underwriter

	for range maxFailuresPerUserIP {
		_, err := a.Staff(ctx, uw.User, "guess", "203.0.113.9")
		require.Equal(t, failure.KindUnauthorized, failure.KindOf(err))
	}
	before := checks.Started()
	_, err := a.Staff(ctx, uw.User, uw.Password, "203.0.113.9")
	require.Equal(t, failure.KindTooManyRequests, failure.KindOf(err))
	require.Equal(t, before, checks.Started(), "refused without a comparison")
	_, err = a.Staff(ctx, uw.User, uw.Password, "198.51.100.1")
	require.NoError(t, err, "another address is not blocked")
	_, err = a.Partner(ctx, testkit.Demo.User, testkit.Demo.Password, "203.0.113.9")
	require.NoError(t, err, "another user from the same address is not blocked")

	clock.Advance(FailureWindow + time.Second)
	_, err = a.Staff(ctx, uw.User, uw.Password, "203.0.113.9")
	require.NoError(t, err, "the failures aged out")
}

// TestSuccessesDoNotCountAsFailures: a partner making many good requests
// from one address is never throttled, however many arrive at once.
func TestSuccessesDoNotCountAsFailures(t *testing.T) {
	a, _, _ := authenticator(t, testclock.New(testkit.Start))
	ctx := context.Background()
	for range maxFailuresPerIP + 5 {
		_, err := a.Partner(ctx, testkit.Demo.User, testkit.Demo.Password, "192.0.2.1")
		require.NoError(t, err)
	}
	require.Empty(t, a.limiter.failures)
}

func TestVerifiedCache(t *testing.T) {
	clock := testclock.New(testkit.Start)
	c := newVerifiedCache(clock.Now)
	k := c.key("demo", "demo-secret", "$2a$hash")
	require.NotEqual(t, k, c.key("demo", "demo-secret", "$2a$other"), "another stored hash")
	require.NotEqual(t, k, c.key("demo", "other", "$2a$hash"), "another password")
	require.NotEqual(t, c.key("ab", "c", "h"), c.key("a", "bc", "h"), "fields do not run into each other")
	require.NotEqual(t, k, newVerifiedCache(clock.Now).key("demo", "demo-secret", "$2a$hash"), "keyed per process")

	c.put(k)
	require.True(t, c.has(k))
	clock.Advance(verifiedTTL + time.Second)
	require.False(t, c.has(k))

	for i := range maxVerified + 5 {
		c.put(c.key("u", fmt.Sprint(i), "h"))
	}
	require.LessOrEqual(t, len(c.expires), maxVerified)
}
