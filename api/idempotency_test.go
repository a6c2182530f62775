package api

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
)

// TestStaffKeysCannotShadowOtherActions: a staff member's idempotency key
// spelled like another action's Update ID ("repay-pay-1", "disburse") once
// made that later action a silent no-op. Keys live in their own namespace
// now: the partner's repayment is booked and the pay-out happens.
func TestStaffKeysCannotShadowOtherActions(t *testing.T) {
	e, k := newWorkflowEnv(t)
	bo := func(ref int64, action string) string { return fmt.Sprintf("/backoffice/v1/loans/%d/%s", ref, action) }
	v1 := func(ref int64, action string) string { return fmt.Sprintf("/v1/loans/%d/%s", ref, action) }

	paid := k.LoanIn(lending.StatusDocumentsSubmitted, "2000")
	res := e.post(operations, bo(paid.Ref, "cash-release/authorize"), nil, key("repay-pay-1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, http.StatusOK, e.post(demo, v1(paid.Ref, "disbursement"), map[string]any{}, nil).Code)
	res = e.post(demo, v1(paid.Ref, "repayments"), map[string]any{"amount": "100.00", "paid_on": "2025-03-10"}, key("pay-1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "100.00", res.json(t)["repaid"], "the repayment is booked")

	other := k.LoanIn(lending.StatusDocumentsSubmitted, "2000")
	res = e.post(operations, bo(other.Ref, "documents/reject"), map[string]any{"reason": "unreadable"}, key("disburse"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	for _, kind := range lending.RequiredDocuments {
		require.Equal(t, http.StatusCreated, e.upload(demo, other.Ref, kind, "again.pdf", pdfBytes()).Code)
	}
	require.Equal(t, http.StatusOK, e.post(operations, bo(other.Ref, "cash-release/authorize"), nil, nil).Code)
	res = e.post(demo, v1(other.Ref, "disbursement"), map[string]any{}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "ACTIVE", res.json(t)["status"], "the pay-out is confirmed, not answered by the rejection")
}

// TestRacedKeyAnswersOneRequest: twenty repayments sent at once with one
// key and twenty amounts: exactly one is booked and answered 200, every
// other is a 409.
func TestRacedKeyAnswersOneRequest(t *testing.T) {
	e, k := newWorkflowEnv(t)
	l := k.LoanIn(lending.StatusActive, "2000")
	path := fmt.Sprintf("/v1/loans/%d/repayments", l.Ref)
	codes := make([]int, 20)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() {
			body := map[string]any{"amount": fmt.Sprintf("%d.00", 10+i), "paid_on": "2025-03-10"}
			codes[i] = e.post(demo, path, body, key("raced")).Code
		})
	}
	wg.Wait()
	won := -1
	for i, code := range codes {
		if code == http.StatusOK {
			require.Equal(t, -1, won, "two requests won: %v", codes)
			won = i
			continue
		}
		require.Equal(t, http.StatusConflict, code, "request %d", i)
	}
	require.NotEqual(t, -1, won, "none won: %v", codes)
	require.True(t, decimal.NewFromInt(int64(10+won)).Equal(k.Loan(l.Ref).Repaid), "only the winner's amount is booked")
}

// TestEveryActionTakesAKey: a retry with the same key answers the first
// request again, marked Idempotent-Replayed, and acts once; the same key
// with another request is a 409.
func TestEveryActionTakesAKey(t *testing.T) {
	e, k := newWorkflowEnv(t)
	l := k.LoanIn(lending.StatusApproved, "2000")
	upload := func(data []byte) response {
		return e.upload(demo, l.Ref, lending.DocSignedAgreement, "signed.pdf", data, key("upload-1"))
	}
	first := upload(pdfBytes())
	require.Equal(t, http.StatusCreated, first.Code, first.Body.String())
	require.Empty(t, first.Header().Get("Idempotent-Replayed"))
	again := upload(pdfBytes())
	require.Equal(t, http.StatusOK, again.Code, again.Body.String())
	require.Equal(t, "true", again.Header().Get("Idempotent-Replayed"))
	require.Equal(t, first.json(t)["document"].(map[string]any)["id"], again.json(t)["document"].(map[string]any)["id"])
	require.Len(t, e.documents(l.Ref), 1, "the retried upload is stored once")
	upload(append(pdfBytes(), '\n')).problem(t, http.StatusConflict)

	cancel := fmt.Sprintf("/v1/loans/%d/cancel", l.Ref)
	res := e.post(demo, cancel, map[string]any{"reason": "changed mind"}, key("cancel-1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	res = e.post(demo, cancel, map[string]any{"reason": "changed mind"}, key("cancel-1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "true", res.Header().Get("Idempotent-Replayed"))
	require.Equal(t, "CANCELLED", res.json(t)["status"])
	p := e.post(demo, cancel, map[string]any{"reason": "another reason"}, key("cancel-1")).problem(t, http.StatusConflict)
	require.Equal(t, "urn:loanflow:problem:idempotency-conflict", p.Type)
}
