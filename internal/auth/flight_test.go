package auth

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/testclock"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/models"
)

// inFlight counts the goroutines inside a single-flight call, leading it or
// waiting for its result: with the leader's comparison held, a test can tell
// that the rest of a burst has joined it rather than started its own.
func inFlight() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "singleflight.(*Group).Do(")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// TestABurstAfterExpiryRunsBcryptOnce: when a remembered match expires, a
// burst of requests with that credential (from one address) costs one new
// comparison, which the others wait for, rather than one each: the
// stampede of issue 13, where every request ran bcrypt at once.
func TestABurstAfterExpiryRunsBcryptOnce(t *testing.T) {
	clock := testclock.New(testkit.Start)
	a, _, checks := authenticator(t, clock)
	check := func() error {
		_, err := a.Partner(context.Background(), testkit.Demo.User, testkit.Demo.Password, "192.0.2.1")
		return err
	}
	require.NoError(t, check())
	require.NoError(t, check())
	require.Equal(t, 1, checks.Started(), "remembered")

	clock.Advance(verifiedTTL + time.Second)
	checks.Hold()
	const n = 20
	done := make(chan error, n)
	for range n {
		go func() { done <- check() }()
	}
	deadline := time.Now().Add(10 * time.Second)
	for inFlight() < n {
		require.LessOrEqual(t, checks.Started(), 2, "a second comparison started during the burst")
		require.False(t, time.Now().After(deadline), "%d of %d checks joined the comparison", inFlight(), n)
		time.Sleep(time.Millisecond)
	}
	require.Equal(t, 2, checks.Started(), "the expired match was compared again, once")
	checks.Release()
	for range n {
		require.NoError(t, <-done)
	}
	require.Equal(t, 2, checks.Started())
}

// TestAWrongPasswordNeverRidesOnTheRightOne: a wrong password arriving while
// the right one is being compared (or the other way round) gets a
// comparison of its own and is refused; the right one is admitted.
func TestAWrongPasswordNeverRidesOnTheRightOne(t *testing.T) {
	passwords := map[string]string{"right": testkit.Demo.Password, "wrong": testkit.Demo.Password + "!"}
	for _, order := range [][2]string{{"right", "wrong"}, {"wrong", "right"}} {
		t.Run(order[0]+" first", func(t *testing.T) {
			a, _, checks := authenticator(t, testclock.New(testkit.Start))
			checks.Hold()
			results := map[string]chan error{}
			for i, which := range order {
				results[which] = make(chan error, 1)
				go func() {
					_, err := a.Partner(context.Background(), testkit.Demo.User, passwords[which], "192.0.2.1")
					results[which] <- err
				}()
				// The second must start its own comparison while the
				// first's is held: it does not share the first's result.
				checks.AwaitStarted(t, i+1)
			}
			checks.Release()
			require.NoError(t, <-results["right"])
			require.Equal(t, failure.KindUnauthorized, failure.KindOf(<-results["wrong"]))
			require.Equal(t, 2, checks.Started())
		})
	}
}

// BenchmarkBurstAfterExpiry is a burst of 16 concurrent checks of one
// partner's credential just after its remembered match expired, interleaved
// in one run: from one address, where the checks share one comparison, and
// from 16 addresses, where each check leads its own single flight (the
// flight is per address, as the failure limits are) and so runs bcrypt
// itself, as every request did before single flight: the stampede.
// x-stampede-throughput is how many shared bursts complete in the time of
// one stampede; bcrypt/burst and stampede-bcrypt/burst count the
// comparisons.
func BenchmarkBurstAfterExpiry(b *testing.B) {
	ctx := context.Background()
	clock := testclock.New(testkit.Start)
	var compared atomic.Int64
	a := New(testkit.Store(b), Options{Now: clock.Now, CheckPassword: func(hash, password string) bool {
		compared.Add(1)
		return models.CheckPassword(hash, password)
	}})
	const n = 16
	burst := func(ip func(i int) string) (time.Duration, int64) {
		clock.Advance(verifiedTTL + time.Second)
		before := compared.Load()
		start := time.Now()
		errs := parallel(n, func(i int) error {
			_, err := a.Partner(ctx, testkit.Demo.User, testkit.Demo.Password, ip(i))
			return err
		})
		elapsed := time.Since(start)
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
		return elapsed, compared.Load() - before
	}
	var shared, stampede time.Duration
	var sharedN, stampedeN int64
	for b.Loop() {
		d, c := burst(func(int) string { return "192.0.2.1" })
		shared, sharedN = shared+d, sharedN+c
		d, c = burst(func(i int) string { return fmt.Sprintf("198.51.100.%d", i+1) })
		stampede, stampedeN = stampede+d, stampedeN+c
	}
	b.ReportMetric(float64(stampede)/float64(shared), "x-stampede-throughput")
	b.ReportMetric(float64(sharedN)/float64(b.N), "bcrypt/burst")
	b.ReportMetric(float64(stampedeN)/float64(b.N), "stampede-bcrypt/burst")
}
