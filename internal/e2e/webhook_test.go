package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// receiver is a partner's webhook endpoint: it verifies every request as
// the Standard Webhooks library does, refuses the first few that arrive
// (an endpoint down for a while), and keeps what it took, de-duplicated on
// the webhook-id as a partner would.
type receiver struct {
	mu        sync.Mutex
	secrets   []string // verifying secrets, newest first
	refuse    int      // requests still to refuse
	requests  int
	forged    []string
	took      map[string]int // webhook-id → times taken
	events    []models.WebhookPayload
	ids       []string
	verifiers map[string]string // webhook-id → the newest secret it verified with
}

func newReceiver(refuse int) *receiver {
	return &receiver{refuse: refuse, took: map[string]int{}, verifiers: map[string]string{}}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests++
	verified := ""
	for _, s := range rc.secrets {
		wh, err := standardwebhooks.NewWebhook(s)
		if err == nil && wh.Verify(body, r.Header) == nil {
			verified = s
			break
		}
	}
	if verified == "" {
		rc.forged = append(rc.forged, r.Header.Get("webhook-id"))
		http.Error(w, "bad signature", http.StatusBadRequest)
		return
	}
	if rc.refuse > 0 {
		rc.refuse--
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	id := r.Header.Get("webhook-id")
	rc.took[id]++
	if rc.took[id] == 1 {
		var p models.WebhookPayload
		if err := json.Unmarshal(body, &p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rc.events, rc.ids = append(rc.events, p), append(rc.ids, id)
		rc.verifiers[id] = verified
	}
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) trust(secret string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.secrets = append([]string{secret}, rc.secrets...)
}

// TestWebhooksArriveSignedOnceAndInOrder: a partner subscribed to every
// event hears the whole life of a loan that falls into arrears and is
// settled — signed, each event once, in the order the loan lived it —
// although its endpoint refused the first attempts; a secret rotated on
// the way keeps every delivery verifiable; a redelivery by an admin
// arrives again under the same webhook-id.
func TestWebhooksArriveSignedOnceAndInOrder(t *testing.T) {
	s := startStackWith(t, stackOptions{worker: payOutInThePast})
	ctx := context.Background()
	rc := newReceiver(3)
	endpoint := httptest.NewServer(rc)
	t.Cleanup(endpoint.Close)
	partner, err := s.store.PartnerByUsername(ctx, "demo")
	require.NoError(t, err)

	put := s.do(call{method: "PUT", path: "/v1/webhook", user: "demo", pass: "demo-secret", json: map[string]any{
		"url":    endpoint.URL + "/loanflow",
		"events": []string{"loan.status_changed", "loan.repayment_recorded", "loan.overdue", "loan.settled", "document.rejected"},
	}})
	require.Equal(t, http.StatusCreated, put.status, string(put.body))
	first := put.decode(t)["secret"].(string)
	rc.trust(first)

	ref := submitLoan(t, s, "consumer", "I70000001T")
	releaseCash(t, s, ref, "consumer")
	payOut(t, s, ref)
	waitStatus(t, s, ref, "IN_ARREARS")

	rot := s.do(call{method: "POST", path: "/v1/webhook/rotate-secret", user: "demo", pass: "demo-secret",
		headers: map[string]string{"Idempotency-Key": "rotate-1"}, json: map[string]any{}})
	require.Equal(t, http.StatusOK, rot.status, string(rot.body))
	second := rot.decode(t)["secret"].(string)
	require.NotEqual(t, first, second)
	rc.trust(second)

	installment := decimal.RequireFromString(getLoan(t, s, ref)["installment_amount"].(string))
	require.Equal(t, "IN_ARREARS", repay(t, s, ref, "hooked-pay-0", installment))
	settle(t, s, ref, "hooked-settle")
	awaitWorkflowEnd(t, s, ref)

	// Every event the loan's writes left in the outbox is delivered.
	var stored []models.WebhookEvent
	deadline := time.Now().Add(90 * time.Second)
	for {
		evs, _, err := s.store.WebhookEvents(ctx, models.WebhookEventFilter{PartnerID: partner.ID, Limit: 100})
		require.NoError(t, err)
		pending := slices.ContainsFunc(evs, func(e models.WebhookEvent) bool { return e.Status != models.WebhookDelivered })
		if !pending {
			stored = evs
			break
		}
		require.True(t, time.Now().Before(deadline), "undelivered: %+v", evs)
		time.Sleep(200 * time.Millisecond)
	}
	slices.Reverse(stored)

	rc.mu.Lock()
	require.Empty(t, rc.forged, "every request verifies")
	require.Greater(t, rc.requests, len(stored), "the refused attempts were retried")
	ids := slices.Clone(rc.ids)
	events := slices.Clone(rc.events)
	for id, n := range rc.took {
		require.Equal(t, 1, n, "webhook %s taken %d times", id, n)
	}
	lastVerifier := rc.verifiers[ids[len(ids)-1]]
	rc.mu.Unlock()

	// In the order they were written, which is the order the loan lived.
	require.Equal(t, keysOf(stored, func(e models.WebhookEvent) string { return e.MessageID }), ids)
	var lived []string
	for _, e := range events {
		require.EqualValues(t, ref, e.Data.LoanRef)
		switch e.Type {
		case "loan.status_changed":
			lived = append(lived, fmt.Sprintf("%s→%s", e.Data.From, e.Data.To))
			require.Equal(t, e.Data.To, e.Data.Status)
		case "loan.overdue":
			lived = append(lived, "overdue "+e.Data.DelinquencyBucket)
			require.Positive(t, *e.Data.DaysPastDue)
		case "loan.repayment_recorded":
			lived = append(lived, "paid "+string(e.Data.Payment.Kind))
			require.True(t, e.Data.Payment.Amount.IsPositive())
		case "loan.settled":
			lived = append(lived, "settled")
			require.Equal(t, "CLOSED", string(e.Data.Status))
		default:
			lived = append(lived, string(e.Type))
		}
	}
	require.Equal(t, []string{
		"→SUBMITTED", "SUBMITTED→APPROVED", "APPROVED→DOCUMENTS_SUBMITTED", "DOCUMENTS_SUBMITTED→CASH_RELEASE_AUTHORIZED",
		"CASH_RELEASE_AUTHORIZED→ACTIVE", "overdue 1-30", "ACTIVE→IN_ARREARS",
		"paid repayment", "paid settlement", "IN_ARREARS→CLOSED", "settled",
	}, lived)
	require.Equal(t, second, lastVerifier, "after the rotation the new secret verifies")
	for _, e := range stored {
		require.NotContains(t, e.Payload, "I70000001T", "no personal data in a webhook")
		require.NotContains(t, e.Payload, "Smith")
	}

	// An admin redelivers the settlement: it arrives again, same id.
	settledID := stored[len(stored)-1]
	r := s.do(call{method: "POST", path: fmt.Sprintf("/backoffice/v1/webhook-deliveries/%d/redeliver", settledID.ID), user: "admin", pass: "admin-secret", json: map[string]any{}})
	require.Contains(t, []int{http.StatusOK, http.StatusAccepted}, r.status, string(r.body))
	eventually(t, "the redelivery", func() bool {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		return rc.took[settledID.MessageID] == 2
	})
	recordWorkflow(t, s, workflows.WebhookWorkflowID(partner.ID), "", "webhook-delivery")
}

func keysOf[T any](rows []T, key func(T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = key(r)
	}
	return out
}
