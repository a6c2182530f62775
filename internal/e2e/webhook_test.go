package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testkit/hookreceiver"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// TestWebhooksArriveSignedOnceAndInOrder: a partner subscribed to every
// event hears the whole life of a loan that falls into arrears and is
// settled — signed, each event once, in the order the loan lived it —
// although its endpoint refused the first attempts; a secret rotated on
// the way keeps every delivery verifiable; a redelivery by an admin
// arrives again under the same webhook-id.
func TestWebhooksArriveSignedOnceAndInOrder(t *testing.T) {
	s := startStackWith(t, stackOptions{worker: payOutInThePast})
	ctx := context.Background()
	rc := hookreceiver.New(3)
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
	rc.Trust(first)

	ref := submitLoan(t, s, "consumer", "I70000001T")
	releaseCash(t, s, ref, "consumer")
	payOut(t, s, ref)
	waitStatus(t, s, ref, "IN_ARREARS")

	rot := s.do(call{method: "POST", path: "/v1/webhook/rotate-secret", user: "demo", pass: "demo-secret",
		headers: map[string]string{"Idempotency-Key": "rotate-1"}, json: map[string]any{}})
	require.Equal(t, http.StatusOK, rot.status, string(rot.body))
	second := rot.decode(t)["secret"].(string)
	require.NotEqual(t, first, second)
	rc.Trust(second)

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

	require.Empty(t, rc.Forged(), "every request verifies")
	require.Empty(t, rc.Duplicates())
	require.Greater(t, rc.Requests(), len(stored), "the refused attempts were retried")
	taken := rc.Taken()

	// In the order they were written, which is the order the loan lived.
	require.Equal(t, keysOf(stored, func(e models.WebhookEvent) string { return e.MessageID }),
		keysOf(taken, func(d hookreceiver.Delivery) string { return d.ID }))
	for _, d := range taken {
		e := d.Payload
		require.EqualValues(t, ref, e.Data.LoanRef)
		switch e.Type {
		case "loan.status_changed":
			require.Equal(t, e.Data.To, e.Data.Status)
		case "loan.overdue":
			require.Positive(t, *e.Data.DaysPastDue)
		case "loan.repayment_recorded":
			require.True(t, decimal.RequireFromString(e.Data.Payment.Amount).IsPositive())
			require.Regexp(t, `^\d+\.\d\d$`, e.Data.Payment.Amount, "at the currency's scale")
		case "loan.settled":
			require.Equal(t, "CLOSED", string(e.Data.Status))
		}
	}
	require.Equal(t, []string{
		"→SUBMITTED", "SUBMITTED→APPROVED", "APPROVED→DOCUMENTS_SUBMITTED", "DOCUMENTS_SUBMITTED→CASH_RELEASE_AUTHORIZED",
		"CASH_RELEASE_AUTHORIZED→ACTIVE", "overdue 1-30", "ACTIVE→IN_ARREARS",
		"paid repayment", "paid settlement", "IN_ARREARS→CLOSED", "settled",
	}, hookreceiver.Lived(taken))
	lastVerifier := taken[len(taken)-1].VerifiedWith
	require.Equal(t, second, lastVerifier, "after the rotation the new secret verifies")
	for _, e := range stored {
		require.NotContains(t, e.Payload, "I70000001T", "no personal data in a webhook")
		require.NotContains(t, e.Payload, "Smith")
	}

	// An admin redelivers the settlement: it arrives again, same id.
	settledID := stored[len(stored)-1]
	r := s.do(call{method: "POST", path: fmt.Sprintf("/backoffice/v1/webhook-deliveries/%d/redeliver", settledID.ID), user: "admin", pass: "admin-secret", json: map[string]any{}})
	require.Contains(t, []int{http.StatusOK, http.StatusAccepted}, r.status, string(r.body))
	eventually(t, "the redelivery", func() bool { return rc.Times(settledID.MessageID) == 2 })
	recordWorkflow(t, s, workflows.WebhookWorkflowID(partner.ID), "", "webhook-delivery-per-loan")
}

func keysOf[T any](rows []T, key func(T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = key(r)
	}
	return out
}
