package auth

import (
	"slices"
	"sync"
	"time"

	"github.com/loanflow/loanflow/internal/failure"
)

// HTTP Basic is checked on every request, so guessing passwords costs an
// attacker nothing but our bcrypt time. Failures are counted per username
// and address, and per address; past the limit the check answers 429
// without running bcrypt. Counts are per process: with N replicas an
// attacker gets N times the budget, still far from useful.
const (
	// FailureWindow is how long a failed check counts; a blocked caller
	// may try again after it.
	FailureWindow        = 15 * time.Minute
	maxFailuresPerUserIP = 10
	maxFailuresPerIP     = 50
)

var errTooManyFailures = &failure.Error{Kind: failure.KindTooManyRequests,
	Detail: "too many failed sign-ins from this address; try again in 15 minutes"}

// failureLimiter counts recent failed credential checks. A check reserves
// its failure before bcrypt runs and gives it back when the password is
// right, so checks running in parallel cannot overrun the limits: the
// reservation and the count are one step under the lock.
type failureLimiter struct {
	mu       sync.Mutex
	now      func() time.Time
	failures map[string][]time.Time // key -> failure times within the window, oldest first
}

// slot is a reserved failure, released on success.
type slot struct {
	userIP, addr string
	at           time.Time
}

func newFailureLimiter(now func() time.Time) *failureLimiter {
	return &failureLimiter{now: now, failures: map[string][]time.Time{}}
}

func (l *failureLimiter) keys(username, ip string) (userIP, addr string) {
	return "u\x00" + username + "\x00" + ip, "a\x00" + ip
}

// full reports whether the limits leave no room; the caller holds mu.
func (l *failureLimiter) full(userIP, addr string) bool {
	return len(l.recent(userIP)) >= maxFailuresPerUserIP || len(l.recent(addr)) >= maxFailuresPerIP
}

// blocked reports whether a check for username from ip must be refused.
func (l *failureLimiter) blocked(username, ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.full(l.keys(username, ip))
}

// reserve counts a failure for username from ip ahead of the password
// check, or reports false when the limits are reached.
func (l *failureLimiter) reserve(username, ip string) (slot, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ku, ka := l.keys(username, ip)
	if l.full(ku, ka) {
		return slot{}, false
	}
	if len(l.failures) > 100000 { // a flood of distinct keys: forget the oldest state wholesale
		clear(l.failures)
	}
	s := slot{userIP: ku, addr: ka, at: l.now()}
	l.failures[ku] = append(l.recent(ku), s.at)
	l.failures[ka] = append(l.recent(ka), s.at)
	return s, true
}

// release takes back a reservation whose password was right.
func (l *failureLimiter) release(s slot) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range []string{s.userIP, s.addr} {
		ts := l.failures[k]
		if i := slices.Index(ts, s.at); i >= 0 {
			l.failures[k] = slices.Delete(ts, i, i+1)
		}
		if len(l.failures[k]) == 0 {
			delete(l.failures, k)
		}
	}
}

// recent drops failures older than the window; the caller holds mu.
func (l *failureLimiter) recent(key string) []time.Time {
	cut := l.now().Add(-FailureWindow)
	ts := l.failures[key]
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	if i == len(ts) {
		delete(l.failures, key)
		return nil
	}
	return ts[i:]
}
