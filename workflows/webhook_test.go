package workflows_test

import (
	"context"
	"errors"
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
// events in it, and an endpoint that refuses each event a number of times.
type outboxHarness struct {
	env *testsuite.TestWorkflowEnvironment

	mu       sync.Mutex
	pending  []activities.WebhookDue
	refuse   map[uint]int // attempts to refuse, per event; -1 always
	attempts []uint       // every attempt, in order
	failed   map[uint]string
}

func newOutboxHarness(t *testing.T, due ...activities.WebhookDue) *outboxHarness {
	var suite testsuite.WorkflowTestSuite
	h := &outboxHarness{env: suite.NewTestWorkflowEnvironment(), pending: due, refuse: map[uint]int{}, failed: map[uint]string{}}
	h.env.SetStartTime(start)
	h.env.RegisterWorkflowWithOptions(workflows.WebhookDeliveryWorkflow, workflow.RegisterOptions{Name: workflows.WebhookDeliveryWorkflowName})
	w := &activities.Webhooks{}
	h.env.RegisterActivity(w)
	h.env.OnActivity(w.PendingWebhooks, mock.Anything, uint(7)).Return(func(context.Context, uint) ([]activities.WebhookDue, error) {
		h.mu.Lock()
		defer h.mu.Unlock()
		n := min(len(h.pending), 100)
		return append([]activities.WebhookDue(nil), h.pending[:n]...), nil
	})
	h.env.OnActivity(w.DeliverWebhook, mock.Anything, mock.Anything).Return(func(_ context.Context, id uint) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.attempts = append(h.attempts, id)
		if r := h.refuse[id]; r != 0 {
			h.refuse[id] = r - 1
			return temporal.NewApplicationError("the endpoint answered 503", activities.ErrTypeWebhookRefused)
		}
		h.done(id)
		return nil
	})
	h.env.OnActivity(w.FailWebhook, mock.Anything, mock.Anything, mock.Anything).Return(func(_ context.Context, id uint, reason string) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.failed[id] = reason
		h.done(id)
		return nil
	})
	return h
}

// done takes an event out of the outbox, as the store does.
func (h *outboxHarness) done(id uint) {
	for i, d := range h.pending {
		if d.ID == id {
			h.pending = append(h.pending[:i], h.pending[i+1:]...)
			return
		}
	}
}

func (h *outboxHarness) run() error {
	h.env.ExecuteWorkflow(workflows.WebhookDeliveryWorkflowName, &workflows.WebhookDeliveryInput{PartnerID: 7})
	return h.env.GetWorkflowError()
}

func due(id uint, within time.Duration) activities.WebhookDue {
	return activities.WebhookDue{ID: id, Until: start.Add(within)}
}

// An endpoint that refuses for a while gets the event once it answers,
// and the next event only after it: the order holds.
func TestWebhookDeliveryRetriesAndKeepsOrder(t *testing.T) {
	h := newOutboxHarness(t, due(1, 72*time.Hour), due(2, 72*time.Hour))
	h.refuse[1] = 4
	require.NoError(t, h.run(), "idle for an hour, the workflow ends")
	require.Equal(t, []uint{1, 1, 1, 1, 1, 2}, h.attempts)
	require.Empty(t, h.failed)
	require.Empty(t, h.pending)
}

// An event its endpoint never takes is marked failed when its time is up,
// with the endpoint's last answer, and the next event goes.
func TestWebhookDeliveryGivesUpWhenTheWindowCloses(t *testing.T) {
	h := newOutboxHarness(t, due(1, 3*time.Hour), due(2, 72*time.Hour))
	h.refuse[1] = -1
	require.NoError(t, h.run())
	require.Contains(t, h.failed[1], "not delivered within 72 hours")
	require.Contains(t, h.failed[1], "the endpoint answered 503")
	require.NotContains(t, h.failed, uint(2))
	require.Equal(t, uint(2), h.attempts[len(h.attempts)-1])
	// Exponential back-off: a few attempts in three hours, not thousands.
	require.Less(t, len(h.attempts), 20)
	require.Greater(t, len(h.attempts), 5)
}

// An event already past its window is failed without an attempt.
func TestWebhookDeliveryFailsAnExpiredEventAtOnce(t *testing.T) {
	h := newOutboxHarness(t, activities.WebhookDue{ID: 1, Until: start.Add(-time.Minute)})
	require.NoError(t, h.run())
	require.Empty(t, h.attempts)
	require.Equal(t, "not delivered within 72 hours", h.failed[1])
}

// A kick while it waits makes it read the outbox again.
func TestWebhookDeliveryWakesOnAKick(t *testing.T) {
	h := newOutboxHarness(t)
	h.env.RegisterDelayedCallback(func() {
		h.mu.Lock()
		h.pending = append(h.pending, due(3, 72*time.Hour))
		h.mu.Unlock()
		h.env.SignalWorkflow(workflows.SignalWebhookKick, nil)
	}, 30*time.Minute)
	require.NoError(t, h.run())
	require.Equal(t, []uint{3}, h.attempts)
}

// A long outbox is delivered across runs: after webhookRunLength events
// the workflow continues as new.
func TestWebhookDeliveryContinuesAsNew(t *testing.T) {
	var many []activities.WebhookDue
	for i := range 250 {
		many = append(many, due(uint(i+1), 72*time.Hour))
	}
	h := newOutboxHarness(t, many...)
	err := h.run()
	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(err, &can), "%v", err)
	require.Len(t, h.attempts, 200)
	require.Len(t, h.pending, 50, "the next run delivers the rest")
}
