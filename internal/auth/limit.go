package auth

import (
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

// failureLimiter counts recent failed credential checks.
type failureLimiter struct {
	mu       sync.Mutex
	now      func() time.Time
	failures map[string][]time.Time // key -> failure times within the window
}

func newFailureLimiter() *failureLimiter {
	return &failureLimiter{now: time.Now, failures: map[string][]time.Time{}}
}

func (l *failureLimiter) keys(username, ip string) (userIP, addr string) {
	return "u\x00" + username + "\x00" + ip, "a\x00" + ip
}

// blocked reports whether a check for username from ip must be refused.
func (l *failureLimiter) blocked(username, ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	ku, ka := l.keys(username, ip)
	return len(l.recent(ku)) >= maxFailuresPerUserIP || len(l.recent(ka)) >= maxFailuresPerIP
}

// fail records a failed check.
func (l *failureLimiter) fail(username, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ku, ka := l.keys(username, ip)
	now := l.now()
	l.failures[ku] = append(l.recent(ku), now)
	l.failures[ka] = append(l.recent(ka), now)
	if len(l.failures) > 100000 { // a flood of distinct keys: forget the oldest state wholesale
		clear(l.failures)
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
