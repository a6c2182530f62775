package models

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSignInAttemptCounts: what a reservation counts, step by step.
func TestSignInAttemptCounts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		t0 := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
		window := 15 * time.Minute
		reserve := func(at time.Time, user, ip string) (uint, SignInCounts) {
			t.Helper()
			a := &SignInAttempt{At: at, Username: user, ClientIP: ip}
			n, err := s.ReserveSignInAttempt(ctx, a, at.Add(-window))
			require.NoError(t, err)
			return a.ID, n
		}
		settle := func(id uint, outcome string) {
			t.Helper()
			require.NoError(t, s.SettleSignInAttempt(ctx, id, outcome))
		}

		id, n := reserve(t0, "alice", "192.0.2.1")
		require.Equal(t, SignInCounts{UserIP: 1, IP: 1}, n, "the reserving attempt counts")
		settle(id, AttemptFailed)
		id, n = reserve(t0.Add(time.Second), "alice", "192.0.2.1")
		require.Equal(t, SignInCounts{UserIP: 2, IP: 2}, n, "a failure and a pending attempt")
		require.NoError(t, s.DropSignInAttempt(ctx, id))

		id, n = reserve(t0.Add(2*time.Second), "bob", "192.0.2.1")
		require.Equal(t, SignInCounts{UserIP: 1, IP: 2}, n, "another user from the address")
		settle(id, AttemptFailed)
		_, n = reserve(t0.Add(3*time.Second), "alice", "198.51.100.9")
		require.Equal(t, SignInCounts{UserIP: 1, IP: 1}, n, "the user from another address")

		id, _ = reserve(t0.Add(4*time.Second), "alice", "192.0.2.1")
		settle(id, AttemptOK)
		_, n = reserve(t0.Add(5*time.Second), "alice", "192.0.2.1")
		require.Equal(t, SignInCounts{UserIP: 1, IP: 3}, n, "a success starts the user's count over, not the address's")

		_, n = reserve(t0.Add(window+3*time.Second), "bob", "192.0.2.1")
		require.Equal(t, SignInCounts{UserIP: 1, IP: 2}, n, "the first failures aged out")

		require.NoError(t, s.PurgeSignInAttempts(ctx, t0.Add(3*time.Second)))
		var left int64
		require.NoError(t, s.DB.Model(&SignInAttempt{}).Count(&left).Error)
		require.Equal(t, int64(4), left)
	})
}

// TestSignInReservationsAreAtomic: of attempts reserved at once, no more
// than a limit find their count within it.
func TestSignInReservationsAreAtomic(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		const n, limit = 40, 5
		at := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		counts := make([]SignInCounts, n)
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				counts[i], errs[i] = s.ReserveSignInAttempt(context.Background(),
					&SignInAttempt{At: at, Username: "alice", ClientIP: "192.0.2.1"}, at.Add(-time.Minute))
			}()
		}
		close(start)
		wg.Wait()
		within := 0
		for i := range n {
			require.NoError(t, errs[i])
			if counts[i].UserIP <= limit {
				within++
			}
		}
		require.LessOrEqual(t, within, limit)
	})
}
