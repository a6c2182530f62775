package providertest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/simfault"
)

// maxAttempts bounds a Retrier's attempts at one step; injected faults at the rates tests use never
// need that many.
const maxAttempts = 200

// Retrier calls each step until it succeeds, as an activity under Temporal's retry policy would, and
// counts the failed attempts, so a test can show its faults hit something. The zero value is ready;
// it is safe for concurrent use.
type Retrier struct {
	failures atomic.Int64
}

// Do runs step until it succeeds. An error that is not retryable ends it at once; what names the step
// in the error.
func (r *Retrier) Do(what string, step func() error) error {
	for range maxAttempts {
		err := step()
		if err == nil {
			return nil
		}
		r.failures.Add(1)
		if !providers.IsRetryable(err) {
			return fmt.Errorf("%s: not retryable: %w", what, err)
		}
	}
	return fmt.Errorf("%s: still failing after %d attempts", what, maxAttempts)
}

// Failures counts the failed attempts so far.
func (r *Retrier) Failures() int { return int(r.failures.Load()) }

// Concurrently runs fn(0) … fn(n-1) at once, as the activities of different loans run, and fails t
// with every error they return.
func Concurrently(t testing.TB, n int, fn func(i int) error) {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "run %d", i)
	}
}

// BookUnderFaults runs n bookings at once, each step retried by one Retrier, while setFaults has the
// simulator fail 30 % of the calls (half answered 5xx, half committed and then cut off, drawn from
// seed); then it turns the faults off, so the test can count what the simulator holds: exactly one of
// everything, whatever was retried.
func BookUnderFaults(t *testing.T, setFaults func(simfault.Faults), seed int64, n int, book func(rt *Retrier, i int) error) {
	t.Helper()
	setFaults(simfault.Faults{ErrorRate: 0.15, DropAfterCommitRate: 0.15, Seed: seed})
	var rt Retrier
	Concurrently(t, n, func(i int) error { return book(&rt, i) })
	require.Positive(t, rt.Failures(), "the faults must have hit some calls for the test to mean anything")
	setFaults(simfault.Faults{})
}
