// Package simfault makes a provider simulator misbehave like a real remote
// system: answers that fail with a 5xx before anything is done, requests
// that are committed and then lose their answer, and latency.
package simfault

import (
	"math/rand"
	"net/http"
	"sync"
	"time"
)

// Faults makes the simulator misbehave like a real remote system. Rates are shares of requests in [0,1].
type Faults struct {
	// ErrorRate is the share of requests answered 500 or 503 without touching any state.
	ErrorRate float64
	// Latency is added before every answer.
	Latency time.Duration
	// DropAfterCommitRate is the share of requests fully processed (state changed) whose connection is
	// then closed without an answer: the caller cannot tell whether its request took effect.
	DropAfterCommitRate float64
	// Seed makes the fault sequence reproducible for a given request order.
	Seed int64
}

// Stats counts the faults injected so far.
type Stats struct {
	Errors int
	Drops  int
}

// Injector draws each request's fault; it is safe for concurrent use.
type Injector struct {
	mu    sync.Mutex
	f     Faults
	rng   *rand.Rand
	stats Stats
	// dropNext are one-shot drops (DropNextAnswer) still to happen.
	dropNext []func(*http.Request) bool
}

type fault int

const (
	faultNone fault = iota
	faultError
	faultDrop
)

// New returns an injector of f.
func New(f Faults) *Injector {
	in := &Injector{}
	in.Set(f)
	return in
}

// Set replaces the faults and reseeds the generator.
func (in *Injector) Set(f Faults) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.f = f
	in.rng = rand.New(rand.NewSource(f.Seed))
}

// Stats counts the faults injected so far.
func (in *Injector) Stats() Stats {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.stats
}

// roll picks this request's fault and, for an error, its status.
func (in *Injector) roll(r *http.Request) (fault, int, time.Duration) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i, match := range in.dropNext {
		if match(r) {
			in.dropNext = append(in.dropNext[:i], in.dropNext[i+1:]...)
			in.stats.Drops++
			return faultDrop, 0, in.f.Latency
		}
	}
	u := in.rng.Float64()
	switch {
	case u < in.f.ErrorRate:
		in.stats.Errors++
		status := http.StatusInternalServerError
		if in.rng.Intn(2) == 0 {
			status = http.StatusServiceUnavailable
		}
		return faultError, status, in.f.Latency
	case u < in.f.ErrorRate+in.f.DropAfterCommitRate:
		in.stats.Drops++
		return faultDrop, 0, in.f.Latency
	}
	return faultNone, 0, in.f.Latency
}

// Wrap applies the faults around next; fail writes a provider-shaped error answer.
func (in *Injector) Wrap(next http.Handler, fail func(w http.ResponseWriter, status int, msg string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind, status, latency := in.roll(r)
		if latency > 0 {
			t := time.NewTimer(latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		switch kind {
		case faultError:
			fail(w, status, http.StatusText(status))
		case faultDrop:
			next.ServeHTTP(&discard{header: http.Header{}}, r)
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
				return
			}
			// HTTP/2 cannot hijack; aborting the handler resets the stream without an answer.
			panic(http.ErrAbortHandler)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// discard is the ResponseWriter of a request whose answer will be dropped.
type discard struct{ header http.Header }

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// Front is a simulator's API behind its injected faults. A simulator's Server embeds it, which gives
// the Server ServeHTTP, SetFaults and FaultStats.
type Front struct {
	faults  *Injector
	handler http.Handler
}

// NewFront serves api behind the faults f; fail writes the provider's error answer of an injected 5xx.
func NewFront(f Faults, api http.Handler, fail func(w http.ResponseWriter, status int, msg string)) Front {
	in := New(f)
	return Front{faults: in, handler: in.Wrap(api, fail)}
}

// ServeHTTP serves the API, faults included.
func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.handler.ServeHTTP(w, r) }

// DropNextAnswer makes the next request match accepts be processed and then lose its answer, once: a
// test's precise "the provider committed, the caller never heard". match sees the request before its
// body is read and must not read it.
func (f *Front) DropNextAnswer(match func(*http.Request) bool) {
	f.faults.mu.Lock()
	defer f.faults.mu.Unlock()
	f.faults.dropNext = append(f.faults.dropNext, match)
}

// SetFaults replaces the faults, e.g. to turn them off before checking state.
func (f *Front) SetFaults(faults Faults) { f.faults.Set(faults) }

// FaultStats counts the faults injected so far.
func (f *Front) FaultStats() Stats { return f.faults.Stats() }
