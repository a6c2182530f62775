package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/integrations"
	"github.com/loanflow/loanflow/workflows"
)

// juloStep is where the loan's onboarding at JULO stands, as the workflow
// answers it.
func juloStep(t *testing.T, s *stack, ref int64) string {
	t.Helper()
	v, err := s.temporal.QueryWorkflow(context.Background(), workflows.LoanWorkflowID(ref), "", workflows.QueryStatus)
	require.NoError(t, err)
	var view workflows.LoanView
	require.NoError(t, v.Get(&view))
	require.NotNil(t, view.Julo)
	return view.Julo.Step
}

func resolveLender(s *stack, ref int64, body map[string]any) reply {
	return s.do(call{method: "POST", path: fmt.Sprintf("/backoffice/v1/loans/%d/lender/resolve", ref), user: "operations", pass: "operations-secret", json: body})
}

// TestALostJuloRegistrationWaitsForOperations: JULO registers the customer
// and the answer is lost; as its document allows, JULO refuses the
// identical repeat ("NIK already registered"), and no documented call gives
// the application back. The loan is not rejected (the customer could never
// apply again): it waits in the attention queue until operations link the
// application_xid JULO's partner portal shows, then the onboarding goes on.
func TestALostJuloRegistrationWaitsForOperations(t *testing.T) {
	s := startStackWith(t, stackOptions{faults: integrations.Options{JuloDocumentedOnly: true}})
	s.providers.Sims.Julo.DropNextAnswer(func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.Contains(r.URL.Path, "/customer")
	})
	ref := submitLoan(t, s, "julo", "I74000001T")
	eventually(t, "the registration's outcome unknown", func() bool { return juloStep(t, s, ref) == workflows.JuloStepRegistrationPending })
	loan := storedLoan(t, s, ref)
	require.Equal(t, "SUBMITTED", string(loan.Status))
	require.Contains(t, loan.ProviderError, "link the loan to the application_xid")
	require.Contains(t, attentionRefs(t, s), ref)
	xids := s.providers.Sims.Julo.ApplicationXIDs()
	require.Len(t, xids, 1, "JULO registered the customer once")

	missing := resolveLender(s, ref, map[string]any{})
	require.Equal(t, http.StatusBadRequest, missing.status, string(missing.body))
	require.Contains(t, string(missing.body), "application_xid")
	wrongQuestion := resolveLender(s, ref, map[string]any{"phone_verified": true})
	require.Equal(t, http.StatusBadRequest, wrongQuestion.status, string(wrongQuestion.body))
	linked := resolveLender(s, ref, map[string]any{"application_xid": strconv.FormatInt(xids[0], 10)})
	require.Equal(t, http.StatusOK, linked.status, string(linked.body))

	require.Equal(t, xids[0], onboardJulo(t, s, ref, false))
	require.Empty(t, storedLoan(t, s, ref).ProviderError)
	require.Equal(t, 1, s.providers.Sims.Julo.Registrations())
	again := resolveLender(s, ref, map[string]any{"application_xid": "1"})
	require.Equal(t, http.StatusConflict, again.status, "nothing is unknown any more")
	recordHistory(t, s, ref, "julo-registration-linked")
}

// TestALostOTPVerdictIsPendingNotWrong: JULO accepts the customer's code
// and the answer is lost; JULO's document does not promise that validating
// the used code again succeeds (here it answers as if no OTP was
// requested). The partner is told the truth, "verification pending", never
// "wrong OTP" for a code JULO accepted; operations confirm the phone
// verified from JULO's portal and the onboarding goes on.
func TestALostOTPVerdictIsPendingNotWrong(t *testing.T) {
	s := startStackWith(t, stackOptions{faults: integrations.Options{JuloDocumentedOnly: true}})
	ref := submitLoan(t, s, "julo", "I75000001T")
	base := fmt.Sprintf("/v1/loans/%d", ref)
	uploadJuloImages(t, s, ref)
	var code string
	eventually(t, "JULO texting the OTP", func() bool {
		loan := storedLoan(t, s, ref)
		if loan.LenderLoanID == "" {
			return false
		}
		xid, err := strconv.ParseInt(loan.LenderLoanID, 10, 64)
		require.NoError(t, err)
		var sent bool
		code, sent = s.providers.Sims.Julo.LastOTP(xid)
		return sent && juloStep(t, s, ref) == workflows.JuloStepAwaitingOTP
	})
	s.providers.Sims.Julo.DropNextAnswer(func(r *http.Request) bool { return strings.Contains(r.URL.Path, "/otp/validate/") })

	otp := func() reply {
		return s.do(call{method: "POST", path: base + "/otp", user: "demo", pass: "demo-secret", json: map[string]any{"otp": code}})
	}
	pending := otp()
	require.Equal(t, http.StatusConflict, pending.status, string(pending.body))
	require.Contains(t, string(pending.body), "verification pending")
	require.NotContains(t, string(pending.body), "wrong OTP")
	require.Equal(t, workflows.JuloStepVerificationPending, juloStep(t, s, ref))
	require.Contains(t, attentionRefs(t, s), ref)
	still := otp()
	require.Equal(t, http.StatusConflict, still.status, string(still.body))
	require.Contains(t, string(still.body), "verification pending")

	verified := resolveLender(s, ref, map[string]any{"phone_verified": true})
	require.Equal(t, http.StatusOK, verified.status, string(verified.body))
	deadline := time.Now().Add(60 * time.Second)
	for juloStep(t, s, ref) != workflows.JuloStepComplete {
		require.True(t, time.Now().Before(deadline), "JULO application still at %s", juloStep(t, s, ref))
		time.Sleep(100 * time.Millisecond)
	}
	require.Empty(t, storedLoan(t, s, ref).ProviderError)
	require.Equal(t, "SUBMITTED", loanStatus(t, s, ref), "the loan goes on to our underwriters")
	recordHistory(t, s, ref, "julo-verification-resolved")
}
