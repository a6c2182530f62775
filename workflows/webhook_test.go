package workflows_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/workflows"
)

// outboxHarness runs one WebhookDeliveryWorkflow over a fake outbox: the
// events in it (in the order written), and an endpoint that refuses each
// event a number of times.
type outboxHarness struct {
	env *testsuite.TestWorkflowEnvironment

	mu       sync.Mutex
	pending  []activities.WebhookDue
	refuse   map[uint]int // attempts to refuse, per event; -1 always
	attempts []uint       // every attempt, in order
	taken    map[uint]time.Time
	failed   map[uint]string
	failedAt map[uint]time.Time
}

func newOutboxHarness(t *testing.T, due ...activities.WebhookDue) *outboxHarness {
	var suite testsuite.WorkflowTestSuite
	h := &outboxHarness{env: suite.NewTestWorkflowEnvironment(), pending: due, refuse: map[uint]int{},
		taken: map[uint]time.Time{}, failed: map[uint]string{}, failedAt: map[uint]time.Time{}}
	h.env.SetStartTime(start)
	h.env.RegisterWorkflowWithOptions(workflows.WebhookDeliveryWorkflow, workflow.RegisterOptions{Name: workflows.WebhookDeliveryWorkflowName})
	w := &activities.Webhooks{}
	h.env.RegisterActivity(w)
	// As the store answers: each loan's oldest event, loans in flight left out.
	h.env.OnActivity(w.NextWebhooks, mock.Anything, uint(7), mock.Anything, mock.Anything).Return(
		func(_ context.Context, _ uint, busy []int64, limit int) ([]activities.WebhookDue, error) {
			h.mu.Lock()
			defer h.mu.Unlock()
			var out []activities.WebhookDue
			seen := map[int64]bool{}
			for _, d := range h.pending {
				if !seen[d.LoanRef] && !slices.Contains(busy, d.LoanRef) && len(out) < limit {
					out = append(out, d)
				}
				seen[d.LoanRef] = true
			}
			return out, nil
		})
	h.env.OnActivity(w.DeliverWebhook, mock.Anything, mock.Anything).Return(func(_ context.Context, id uint) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.attempts = append(h.attempts, id)
		if r := h.refuse[id]; r != 0 {
			h.refuse[id] = r - 1
			return temporal.NewApplicationError("the endpoint answered 503", activities.ErrTypeWebhookRefused)
		}
		h.taken[id] = h.env.Now()
		h.done(id)
		return nil
	})
	h.env.OnActivity(w.FailWebhook, mock.Anything, mock.Anything, mock.Anything).Return(func(_ context.Context, id uint, reason string) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.failed[id], h.failedAt[id] = reason, h.env.Now()
		h.done(id)
		return nil
	})
	return h
}

// done takes an event out of the outbox, as the store does.
func (h *outboxHarness) done(id uint) {
	h.pending = slices.DeleteFunc(h.pending, func(d activities.WebhookDue) bool { return d.ID == id })
}

func (h *outboxHarness) run() error {
	h.env.ExecuteWorkflow(workflows.WebhookDeliveryWorkflowName, &workflows.WebhookDeliveryInput{PartnerID: 7})
	return h.env.GetWorkflowError()
}

// attemptsAt lists the attempts at the events of ids, in order.
func (h *outboxHarness) attemptsAt(ids ...uint) []uint {
	var out []uint
	for _, a := range h.attempts {
		if slices.Contains(ids, a) {
			out = append(out, a)
		}
	}
	return out
}

func due(id uint, loan int64, within time.Duration) activities.WebhookDue {
	return activities.WebhookDue{ID: id, LoanRef: loan, Until: start.Add(within)}
}

// An endpoint that refuses a loan's event for a while gets it once it
// answers, and that loan's next event only after it; another loan's
// events do not wait for it.
func TestWebhookDeliveryRetriesAndKeepsEachLoansOrder(t *testing.T) {
	h := newOutboxHarness(t, due(1, 100, 72*time.Hour), due(2, 200, 72*time.Hour), due(3, 100, 72*time.Hour), due(4, 200, 72*time.Hour))
	h.refuse[1] = 4
	require.NoError(t, h.run(), "idle for an hour, the workflow ends")
	require.Equal(t, []uint{1, 1, 1, 1, 1, 3}, h.attemptsAt(1, 3), "loan 100 in order")
	require.Equal(t, []uint{2, 4}, h.attemptsAt(2, 4), "loan 200 in order")
	require.True(t, h.taken[4].Before(h.taken[1]), "loan 200 did not wait for loan 100's refusals")
	require.Empty(t, h.failed)
	require.Empty(t, h.pending)
}

// An event its endpoint never takes is tried with back-off until its time
// is up, then marked failed with the endpoint's last answer, and its
// loan's next event goes.
func TestWebhookDeliveryGivesUpWhenTheWindowCloses(t *testing.T) {
	h := newOutboxHarness(t, due(1, 100, 72*time.Hour), due(2, 100, 80*time.Hour), due(3, 200, 72*time.Hour))
	h.refuse[1] = -1
	require.NoError(t, h.run())
	require.Contains(t, h.failed[1], "not delivered within 72 hours")
	require.Contains(t, h.failed[1], "the endpoint answered 503")
	// The last retry fits in the window: the give-up is within the
	// largest back-off (an hour) of its end.
	require.False(t, h.failedAt[1].After(start.Add(72*time.Hour)), "failed at %s", h.failedAt[1])
	require.True(t, h.failedAt[1].After(start.Add(71*time.Hour)), "failed at %s", h.failedAt[1])
	// Exponential back-off: dozens of attempts in 72 hours, not thousands.
	require.Less(t, len(h.attemptsAt(1)), 100)
	require.Greater(t, len(h.attemptsAt(1)), 60)
	require.NotContains(t, h.failed, uint(2))
	require.False(t, h.taken[2].IsZero() || h.taken[2].Before(h.failedAt[1]), "loan 100's next event after the failed one: taken %s, failed %s", h.taken[2], h.failedAt[1])
	require.True(t, h.taken[3].Before(start.Add(time.Minute)), "loan 200 went at once")
}

// An event already past its window is failed without an attempt.
func TestWebhookDeliveryFailsAnExpiredEventAtOnce(t *testing.T) {
	h := newOutboxHarness(t, activities.WebhookDue{ID: 1, LoanRef: 100, Until: start.Add(-time.Minute)})
	require.NoError(t, h.run())
	require.Empty(t, h.attempts)
	require.Equal(t, "not delivered within 72 hours", h.failed[1])
}

// A kick while it waits makes it read the outbox again.
func TestWebhookDeliveryWakesOnAKick(t *testing.T) {
	h := newOutboxHarness(t)
	h.env.RegisterDelayedCallback(func() {
		h.mu.Lock()
		h.pending = append(h.pending, due(3, 100, 72*time.Hour))
		h.mu.Unlock()
		h.env.SignalWorkflow(workflows.SignalWebhookKick, nil)
	}, 30*time.Minute)
	require.NoError(t, h.run())
	require.Equal(t, []uint{3}, h.attempts)
}

// A long outbox is delivered across runs: after webhookRunLength events
// the workflow lets the deliveries under way end and continues as new.
func TestWebhookDeliveryContinuesAsNew(t *testing.T) {
	var many []activities.WebhookDue
	for i := range 250 {
		many = append(many, due(uint(i+1), int64(100+i%10), 72*time.Hour))
	}
	h := newOutboxHarness(t, many...)
	err := h.run()
	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(err, &can), "%v", err)
	require.GreaterOrEqual(t, len(h.attempts), 200)
	require.Less(t, len(h.attempts), 200+4, "only the deliveries under way end")
	require.Len(t, h.pending, 250-len(h.attempts), "the next run delivers the rest")
}
