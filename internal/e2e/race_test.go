package e2e_test

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestRacingRepaymentsEndTheWorkflow: a loan's last two repayments arrive
// at once, so they meet the loan's lock and the workflow's loop in any
// order; whichever way they interleave, the loan closes and its workflow
// ends.
func TestRacingRepaymentsEndTheWorkflow(t *testing.T) {
	s := startStack(t)
	for i := range 6 {
		ref := submitLoan(t, s, "consumer", fmt.Sprintf("I82%06dT", i))
		releaseCash(t, s, ref, "consumer")
		sched := payOut(t, s, ref)
		first := sched.Installments[0].Total
		var wg sync.WaitGroup
		for k, amount := range [...]string{first.StringFixed(2), sched.Total.Sub(first).StringFixed(2)} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(time.Duration(k*i%4) * time.Millisecond) // vary how the two meet
				r := s.do(call{method: "POST", path: fmt.Sprintf("/v1/loans/%d/repayments", ref), user: "demo", pass: "demo-secret",
					headers: map[string]string{"Idempotency-Key": fmt.Sprintf("race-%d-%d", ref, k)},
					json:    map[string]any{"amount": amount, "paid_on": time.Now().UTC().Format(time.DateOnly)}})
				if r.status != 200 {
					t.Errorf("repayment %d of loan %d: %d %s", k, ref, r.status, r.body)
				}
			}()
		}
		wg.Wait()
		waitStatus(t, s, ref, "CLOSED")
		awaitWorkflowEnd(t, s, ref)
	}
}
