package testkit

import (
	"sync"
	"testing"
	"time"

	"github.com/loanflow/loanflow/models"
)

// PasswordChecks is an auth.Options.CheckPassword for tests of the guessing
// limits: it counts the bcrypt comparisons started and, between Hold and
// Release, holds each one before it compares, so a test can make requests
// while others are being checked.
type PasswordChecks struct {
	mu      sync.Mutex
	started int
	gate    chan struct{} // nil when not holding
}

// NewPasswordChecks is a PasswordChecks released when the test ends, so a
// failed test leaves no request hanging.
func NewPasswordChecks(t testing.TB) *PasswordChecks {
	p := &PasswordChecks{}
	t.Cleanup(p.Release)
	return p
}

// Check counts a comparison, waits while held, then compares.
func (p *PasswordChecks) Check(hash, password string) bool {
	p.mu.Lock()
	p.started++
	gate := p.gate
	p.mu.Unlock()
	if gate != nil {
		<-gate
	}
	return models.CheckPassword(hash, password)
}

// Hold makes the comparisons started from now on wait for Release.
func (p *PasswordChecks) Hold() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gate == nil {
		p.gate = make(chan struct{})
	}
}

// Release lets the held comparisons, and all later ones, go on.
func (p *PasswordChecks) Release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gate != nil {
		close(p.gate)
		p.gate = nil
	}
}

// Started is how many comparisons have started.
func (p *PasswordChecks) Started() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.started
}

// AwaitStarted waits until n comparisons have started, failing the test
// after a deadline.
func (p *PasswordChecks) AwaitStarted(t testing.TB, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for p.Started() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d password comparisons started, want %d", p.Started(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
