// Package ratelimit keeps a token bucket per partner: the limit on how fast
// one authenticated partner may call the partner APIs (/v1 and the Iute
// façade share it), and the headers that tell the partner where it stands.
// The buckets are golang.org/x/time/rate's; this package adds the per-key
// map, a partner's own limit over the deployment's default, the pick-up of
// an admin's change and the eviction of idle buckets.
//
// Buckets live in the process: with N replicas behind a load balancer a
// partner gets up to N times its limit. They are keyed by the partner's
// account ID, never by anything the client chooses.
package ratelimit

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limit is a bucket's size and refill rate. A zero field means "not set":
// Or fills it from a default.
type Limit struct {
	// Rate is the sustained rate in requests per second; 0 is unlimited
	// (only meaningful for a deployment without a default).
	Rate float64
	// Burst is how many requests a full bucket admits at once.
	Burst int
}

// Or is l with each unset field taken from def. A rate without a burst
// gets a burst of one second's worth (at least 1), so a bucket can always
// admit a request.
func (l Limit) Or(def Limit) Limit {
	if l.Rate <= 0 {
		l.Rate = def.Rate
	}
	if l.Burst <= 0 {
		l.Burst = def.Burst
	}
	if l.Rate > 0 && l.Burst <= 0 {
		l.Burst = max(1, int(math.Ceil(l.Rate)))
	}
	return l
}

// Unlimited reports whether l lets every request through.
func (l Limit) Unlimited() bool { return l.Rate <= 0 }

// Decision is the answer for one request.
type Decision struct {
	Allowed bool
	// Limit is the limit applied; Unlimited when none is.
	Limit Limit
	// Remaining is how many more requests the bucket admits right now.
	Remaining int
	// Reset is how long until the bucket is full again.
	Reset time.Duration
	// RetryAfter is, for a refused request, how long until the bucket
	// admits one again.
	RetryAfter time.Duration
}

// SetHeaders writes the decision as the IETF RateLimit header fields
// (draft-ietf-httpapi-ratelimit-headers: RateLimit-Limit, the burst;
// RateLimit-Remaining; RateLimit-Reset, seconds until the bucket is full)
// and, on a refusal, Retry-After. Seconds are rounded up, so a client that
// waits them is admitted. An unlimited decision writes nothing.
func (d Decision) SetHeaders(h http.Header) {
	if d.Limit.Unlimited() {
		return
	}
	h.Set("RateLimit-Limit", strconv.Itoa(d.Limit.Burst))
	h.Set("RateLimit-Remaining", strconv.Itoa(d.Remaining))
	h.Set("RateLimit-Reset", strconv.FormatInt(seconds(d.Reset), 10))
	if !d.Allowed {
		h.Set("Retry-After", strconv.FormatInt(max(1, seconds(d.RetryAfter)), 10))
	}
}

// seconds is d in whole seconds, rounded up.
func seconds(d time.Duration) int64 {
	return int64(math.Ceil(d.Seconds()))
}

// SweepEvery is how often, on the buckets' clock, idle buckets are
// dropped.
const SweepEvery = time.Minute

// Buckets are the token buckets of every partner that called recently.
// They are safe for concurrent use.
type Buckets struct {
	def Limit
	now func() time.Time

	mu        sync.Mutex
	buckets   map[uint]*bucket
	lastSweep time.Time
}

// bucket is one partner's limiter and the limit it was made with.
type bucket struct {
	limit Limit
	lim   *rate.Limiter
}

// New is a set of buckets with the deployment's default limit, on the
// clock now.
func New(def Limit, now func() time.Time) *Buckets {
	return &Buckets{def: def, now: now, buckets: map[uint]*bucket{}}
}

// Default is the deployment's limit, which a partner without its own
// follows.
func (b *Buckets) Default() Limit { return b.def.Or(Limit{}) }

// Take takes one request from key's bucket, whose own limit is own (zero
// fields: the default). own is read from the partner's account on every
// request, so an admin's change applies from the partner's next request:
// the bucket then starts afresh, full, at the new limit.
func (b *Buckets) Take(key uint, own Limit) Decision {
	limit := own.Or(b.def)
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	b.sweep(now)
	if limit.Unlimited() {
		delete(b.buckets, key)
		return Decision{Allowed: true, Limit: limit}
	}
	bk := b.buckets[key]
	if bk == nil || bk.limit != limit {
		bk = &bucket{limit: limit, lim: rate.NewLimiter(rate.Limit(limit.Rate), limit.Burst)}
		b.buckets[key] = bk
	}
	d := Decision{Allowed: bk.lim.AllowN(now, 1), Limit: limit}
	tokens := max(0, bk.lim.TokensAt(now))
	d.Remaining = int(math.Floor(tokens))
	d.Reset = refill(float64(limit.Burst)-tokens, limit.Rate)
	if !d.Allowed {
		d.RetryAfter = refill(1-tokens, limit.Rate)
	}
	return d
}

// refill is how long rate takes to add tokens.
func refill(tokens, perSecond float64) time.Duration {
	if tokens <= 0 {
		return 0
	}
	return time.Duration(tokens / perSecond * float64(time.Second))
}

// sweep drops, at most once per SweepEvery, the buckets that are full: a
// full bucket admits exactly what a new one would, so dropping it changes
// no answer. The map thus holds only the partners that called within
// their bucket's refill time; a deleted or disabled partner, which can no
// longer authenticate, leaves it. The caller holds mu.
func (b *Buckets) sweep(now time.Time) {
	if now.Sub(b.lastSweep) < SweepEvery {
		return
	}
	b.lastSweep = now
	for key, bk := range b.buckets {
		if bk.lim.TokensAt(now) >= float64(bk.limit.Burst) {
			delete(b.buckets, key)
		}
	}
}

// Len is how many buckets are held.
func (b *Buckets) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.buckets)
}
