package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/internal/integrations"
	"github.com/loanflow/loanflow/models"
)

// patchProduct edits a product as an admin does.
func patchProduct(t *testing.T, s *stack, code, key string, body map[string]any) {
	t.Helper()
	r := s.do(call{method: "PATCH", path: "/backoffice/v1/products/" + code, user: "admin", pass: "admin-secret",
		headers: map[string]string{"Idempotency-Key": key}, json: body})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
}

// storedLoan is the loan as the database holds it now.
func storedLoan(t *testing.T, s *stack, ref int64) *models.Loan {
	t.Helper()
	loan, err := s.store.GetLoan(context.Background(), ref)
	require.NoError(t, err)
	return loan
}

// attentionRefs are the loans the back office's attention queue lists.
func attentionRefs(t *testing.T, s *stack) map[int64]map[string]any {
	t.Helper()
	r := s.do(call{method: "GET", path: "/backoffice/v1/attention", user: "operations", pass: "operations-secret"})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	out := map[int64]map[string]any{}
	for _, it := range r.decode(t)["items"].([]any) {
		item := it.(map[string]any)
		out[int64(item["ref"].(float64))] = item
	}
	return out
}

// approveWithDocuments takes a submitted loan of ours to DOCUMENTS_SUBMITTED.
func approveWithDocuments(t *testing.T, s *stack, ref int64) {
	t.Helper()
	approved := s.do(call{method: "POST", path: fmt.Sprintf("/backoffice/v1/loans/%d/approve", ref), user: "underwriter", pass: "underwriter-secret", json: map[string]any{}})
	require.Equal(t, http.StatusOK, approved.status, string(approved.body))
	base := fmt.Sprintf("/v1/loans/%d", ref)
	for _, kind := range []string{"signed_agreement", "bank_statement"} {
		r := s.upload(base+"/documents", kind, kind+".pdf", pdfDoc)
		require.Equal(t, http.StatusCreated, r.status, string(r.body))
	}
}

func authorize(s *stack, ref int64) reply {
	return s.do(call{method: "POST", path: fmt.Sprintf("/backoffice/v1/loans/%d/cash-release/authorize", ref),
		user: "operations", pass: "operations-secret", json: map[string]any{}})
}

// TestAnUnbookedLoanIsNotPaidOut: a Mambu tenant generates its products'
// keys, and a loanflow product naming a key the tenant does not have is
// refused (INVALID_PRODUCT_ID). That is the operator's error: the booking
// waits and retries, the loan is in the attention queue with Mambu's
// answer, and its cash release cannot be authorized (the partner is told it
// waits for the booking). Once the admin names the tenant's key, the
// booking lands by itself and the loan goes on to CLOSED.
func TestAnUnbookedLoanIsNotPaidOut(t *testing.T) {
	s := startStack(t)
	patchProduct(t, s, "mambu", "wrong-key", map[string]any{"mambu_product_key": "8a19b7057471f4af0174720000000000"})
	ref := submitLoan(t, s, "mambu", "I71000001T")
	approveWithDocuments(t, s, ref)

	eventually(t, "the booking waiting on the product key", func() bool { return storedLoan(t, s, ref).ProviderWaiting != "" })
	loan := storedLoan(t, s, ref)
	require.Contains(t, loan.ProviderWaiting, "INVALID_PRODUCT_ID")
	require.Equal(t, "DOCUMENTS_SUBMITTED", string(loan.Status), "the customer's loan is not refused for our setting")
	require.Empty(t, loan.LedgerLoanID)

	held := authorize(s, ref)
	require.Equal(t, http.StatusConflict, held.status, string(held.body))
	require.Contains(t, string(held.body), "the cash release waits for mambu to book the loan")
	release := s.do(call{method: "GET", path: fmt.Sprintf("/v1/loans/%d/cash-release", ref), user: "demo", pass: "demo-secret"}).decode(t)
	require.Equal(t, false, release["allowed"])
	require.Equal(t, "ledger_booking", release["waiting_for"])
	queued, listed := attentionRefs(t, s)[ref]
	require.True(t, listed, "the loan is in the attention queue")
	require.Contains(t, queued["provider_waiting"], "INVALID_PRODUCT_ID")

	patchProduct(t, s, "mambu", "right-key", map[string]any{"mambu_product_key": integrations.SimMambuProductKey})
	awaitBooked(t, s, ref)
	eventually(t, "the note cleared", func() bool { return storedLoan(t, s, ref).ProviderWaiting == "" })
	require.NotContains(t, attentionRefs(t, s), ref)
	require.Equal(t, integrations.SimMambuProductKey, s.providers.Sims.Mambu.LoanProductKey(storedLoan(t, s, ref).LedgerLoanID))

	authorized := authorize(s, ref)
	require.Equal(t, http.StatusOK, authorized.status, string(authorized.body))
	sched := payOut(t, s, ref)
	repayInTwo(t, s, ref, sched, "booked-late")
	require.Equal(t, "CLOSED", loanStatus(t, s, ref))
	awaitWorkflowEnd(t, s, ref)
	recordHistory(t, s, ref, "payout-awaits-booking")
}

// TestARefusedBookingIsRetriedByOperations: a ledger's refusal of the
// booking (not a setting of ours) stops it; the loan waits in the
// attention queue with the ledger's message until operations, the cause
// fixed, retry it. A retry with nothing refused is a 409.
func TestARefusedBookingIsRetriedByOperations(t *testing.T) {
	var refusing atomic.Bool
	refusing.Store(true)
	s := startStackWith(t, stackOptions{worker: func(w sdkworker.Worker, acts *activities.Activities) {
		w.RegisterActivityWithOptions(func(ctx context.Context, in activities.LedgerInput) (string, error) {
			if refusing.Load() {
				return "", temporal.NewNonRetryableApplicationError("fineract: Client with externalId loanflow-I72000001T is closed",
					activities.ErrTypeProviderRefused, nil)
			}
			return acts.LedgerBook(ctx, in)
		}, activity.RegisterOptions{Name: "LedgerBook", DisableAlreadyRegisteredCheck: true})
	}})
	ref := submitLoan(t, s, "fineract", "I72000001T")
	approveWithDocuments(t, s, ref)
	eventually(t, "the refusal on the loan", func() bool { return storedLoan(t, s, ref).ProviderError != "" })
	require.Equal(t, "fineract refused book: fineract: Client with externalId loanflow-I72000001T is closed", storedLoan(t, s, ref).ProviderError)
	require.Contains(t, attentionRefs(t, s), ref)
	held := authorize(s, ref)
	require.Equal(t, http.StatusConflict, held.status, string(held.body))
	require.Contains(t, string(held.body), "which fineract refused")

	retry := func(key string) reply {
		return s.do(call{method: "POST", path: fmt.Sprintf("/backoffice/v1/loans/%d/provider/retry", ref), user: "operations", pass: "operations-secret",
			headers: map[string]string{"Idempotency-Key": key}, json: map[string]any{}})
	}
	underwriter := s.do(call{method: "POST", path: fmt.Sprintf("/backoffice/v1/loans/%d/provider/retry", ref), user: "underwriter", pass: "underwriter-secret", json: map[string]any{}})
	require.Equal(t, http.StatusForbidden, underwriter.status, "retrying is operations' job")

	refusing.Store(false) // the client is reopened in Fineract
	first := retry("retry-1")
	require.Equal(t, http.StatusOK, first.status, string(first.body))
	require.Empty(t, storedLoan(t, s, ref).ProviderError, "the retry clears the refusal")
	awaitBooked(t, s, ref)
	require.NotContains(t, attentionRefs(t, s), ref)
	again := retry("retry-2")
	require.Equal(t, http.StatusConflict, again.status, string(again.body))
	require.Contains(t, string(again.body), "nothing to retry")

	authorized := authorize(s, ref)
	require.Equal(t, http.StatusOK, authorized.status, string(authorized.body))
	trail, err := s.store.AuditTrail(context.Background(), ref)
	require.NoError(t, err)
	var actions []string
	for _, ev := range trail {
		actions = append(actions, string(ev.Action))
	}
	require.Equal(t, []string{"provider_retry", "authorize_cash_release"}, actions[len(actions)-2:])
	require.Less(t, slices.Index(actions, "ledger_refused"), slices.Index(actions, "provider_retry"), "refused, then retried")
	require.NotEqual(t, -1, slices.Index(actions, "ledger_refused"))
	require.Equal(t, "staff:operations", string(trail[len(trail)-2].Actor))
}

// TestAWrongJuloSecretLeavesTheLoanWaiting: JULO answering 401 to our
// partner credentials is the operator's to fix, never a refusal of the
// customer: the registration waits, the loan says why, and once the
// secret is right again the onboarding goes on.
func TestAWrongJuloSecretLeavesTheLoanWaiting(t *testing.T) {
	s := startStack(t)
	right := s.providers.Sims.Julo.RotateSecret("rotated-in-the-portal")
	ref := submitLoan(t, s, "julo", "I73000001T")
	eventually(t, "the registration waiting on the credentials", func() bool { return storedLoan(t, s, ref).ProviderWaiting != "" })
	loan := storedLoan(t, s, ref)
	require.Contains(t, loan.ProviderWaiting, "julo answered HTTP 401")
	require.Equal(t, "SUBMITTED", string(loan.Status), "the customer's loan is not rejected for our credentials")
	require.Empty(t, loan.ProviderError)
	require.Contains(t, attentionRefs(t, s), ref)

	s.providers.Sims.Julo.RotateSecret(right)
	onboardJulo(t, s, ref, false)
	eventually(t, "the note cleared", func() bool { return storedLoan(t, s, ref).ProviderWaiting == "" })
	require.Equal(t, "SUBMITTED", loanStatus(t, s, ref))
}
