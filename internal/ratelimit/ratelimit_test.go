package ratelimit

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testclock"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestBucketRefusesPastItsBurstAndRefills(t *testing.T) {
	clock := testclock.New(start)
	b := New(Limit{Rate: 2, Burst: 3}, clock.Now)
	for i := range 3 {
		d := b.Take(1, Limit{})
		require.True(t, d.Allowed, "request %d", i)
		require.Equal(t, 2-i, d.Remaining)
	}
	d := b.Take(1, Limit{})
	require.False(t, d.Allowed)
	require.Equal(t, 0, d.Remaining)
	require.Equal(t, 500*time.Millisecond, d.RetryAfter) // one token at 2/s
	require.Equal(t, 1500*time.Millisecond, d.Reset)     // three tokens at 2/s

	h := http.Header{}
	d.SetHeaders(h)
	require.Equal(t, "3", h.Get("RateLimit-Limit"))
	require.Equal(t, "0", h.Get("RateLimit-Remaining"))
	require.Equal(t, "2", h.Get("RateLimit-Reset"), "rounded up")
	require.Equal(t, "1", h.Get("Retry-After"), "rounded up")

	clock.Advance(499 * time.Millisecond)
	require.False(t, b.Take(1, Limit{}).Allowed, "a refused request takes no token, and one is not yet there")
	clock.Advance(time.Millisecond)
	require.True(t, b.Take(1, Limit{}).Allowed)
}

func TestAllowedAnswerCarriesHeadersWithoutRetryAfter(t *testing.T) {
	b := New(Limit{Rate: 1, Burst: 5}, testclock.New(start).Now)
	h := http.Header{}
	b.Take(1, Limit{}).SetHeaders(h)
	require.Equal(t, "5", h.Get("RateLimit-Limit"))
	require.Equal(t, "4", h.Get("RateLimit-Remaining"))
	require.Equal(t, "1", h.Get("RateLimit-Reset"))
	require.Empty(t, h.Get("Retry-After"))
}

func TestKeysHaveTheirOwnBuckets(t *testing.T) {
	b := New(Limit{Rate: 1, Burst: 1}, testclock.New(start).Now)
	require.True(t, b.Take(1, Limit{}).Allowed)
	require.False(t, b.Take(1, Limit{}).Allowed)
	require.True(t, b.Take(2, Limit{}).Allowed)
}

func TestAChangedLimitStartsAFreshBucket(t *testing.T) {
	b := New(Limit{Rate: 1, Burst: 1}, testclock.New(start).Now)
	require.True(t, b.Take(1, Limit{}).Allowed)
	require.False(t, b.Take(1, Limit{}).Allowed)
	raised := Limit{Rate: 10, Burst: 4}
	for i := range 4 {
		d := b.Take(1, raised)
		require.True(t, d.Allowed, "request %d", i)
		require.Equal(t, 4, d.Limit.Burst)
	}
	require.False(t, b.Take(1, raised).Allowed)
}

func TestOwnLimitOverDefault(t *testing.T) {
	def := Limit{Rate: 10, Burst: 20}
	for _, tc := range []struct {
		own, want Limit
	}{
		{Limit{}, def},
		{Limit{Rate: 2}, Limit{Rate: 2, Burst: 20}},
		{Limit{Burst: 5}, Limit{Rate: 10, Burst: 5}},
		{Limit{Rate: 2, Burst: 3}, Limit{Rate: 2, Burst: 3}},
	} {
		require.Equal(t, tc.want, tc.own.Or(def))
	}
	require.Equal(t, Limit{Rate: 2.5, Burst: 3}, Limit{Rate: 2.5}.Or(Limit{}), "a rate alone gets a second's worth")
	require.True(t, Limit{}.Or(Limit{}).Unlimited())
}

func TestUnlimitedAdmitsEverythingAndHoldsNoBucket(t *testing.T) {
	b := New(Limit{}, testclock.New(start).Now)
	for range 100 {
		d := b.Take(1, Limit{})
		require.True(t, d.Allowed)
		h := http.Header{}
		d.SetHeaders(h)
		require.Empty(t, h)
	}
	require.Zero(t, b.Len())
}

// Buckets of partners that stopped calling (deleted, disabled, or just
// idle) are dropped once full, so the map is bounded by the partners
// calling now.
func TestIdleBucketsAreDropped(t *testing.T) {
	clock := testclock.New(start)
	b := New(Limit{Rate: 1, Burst: 5}, clock.Now)
	for key := range uint(1000) {
		b.Take(key+1, Limit{})
	}
	require.Equal(t, 1000, b.Len())

	clock.Advance(SweepEvery)
	d := b.Take(5000, Limit{})
	require.True(t, d.Allowed)
	require.Equal(t, 1, b.Len(), "only the bucket in use is left")

	// A bucket still refilling is kept, and keeps its state.
	b2 := New(Limit{Rate: 1.0 / 120, Burst: 1}, clock.Now)
	require.True(t, b2.Take(1, Limit{}).Allowed)
	clock.Advance(SweepEvery)
	require.False(t, b2.Take(1, Limit{}).Allowed, "swept while empty would have let this through")
	require.Equal(t, 1, b2.Len())
}
