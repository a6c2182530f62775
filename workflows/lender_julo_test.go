package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/workflows"
)

const (
	juloXID  = "2235427695"
	rightOTP = "123456"
)

func juloInput() *workflows.LoanInput {
	in := input("2000.00", 6)
	in.Product.Code, in.Product.Lender = "julo", lending.LenderJulo
	return in
}

// juloStub stands in for the JULO activities: it records the calls and
// answers each OTP with the verdict scripted for it (wrong by default).
type juloStub struct {
	mu          sync.Mutex
	calls       []string
	verdicts    map[string]activities.JuloOTPResult
	registerErr error
	unreachable map[string]bool // OTPs JULO never answers for
}

func stubJulo(h *harness) *juloStub {
	s := &juloStub{
		verdicts:    map[string]activities.JuloOTPResult{rightOTP: {Verdict: activities.OTPValid}},
		unreachable: map[string]bool{},
	}
	call := func(what string) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.calls = append(s.calls, what)
	}
	h.env.OnActivity(acts.JuloRegister, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) (string, error) {
			call("register")
			if s.registerErr != nil {
				return "", s.registerErr
			}
			return juloXID, nil
		})
	h.env.OnActivity(acts.JuloUploadImages, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) error {
			call(fmt.Sprintf("images %s %d %d", in.LenderLoanID, in.Documents[lending.DocKTP], in.Documents[lending.DocSelfie]))
			return nil
		})
	h.env.OnActivity(acts.JuloSendOTP, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) error {
			call("send-otp " + in.LenderLoanID)
			return nil
		})
	h.env.OnActivity(acts.JuloValidateOTP, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) (*activities.JuloOTPResult, error) {
			s.mu.Lock()
			unreachable := s.unreachable[in.OTP]
			v, ok := s.verdicts[in.OTP]
			s.mu.Unlock()
			if unreachable {
				return nil, errors.New("julo validate_otp: connection reset (retryable)")
			}
			call("validate " + in.OTP)
			if !ok {
				v = activities.JuloOTPResult{Verdict: activities.OTPWrong, Message: "OTP is invalid"}
			}
			return &v, nil
		})
	h.env.OnActivity(acts.JuloComplete, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.LenderInput) error {
			call("complete " + in.LenderLoanID)
			return nil
		})
	return s
}

func (s *juloStub) called() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

func otp(code string) workflows.OTPRequest {
	return workflows.OTPRequest{Actor: "partner:demo", OTP: code}
}

// uploadImages schedules the partner's KTP (document 11) and selfie (12).
func uploadImages(h *harness, at time.Duration) {
	h.send(at, workflows.UpdateSubmitDocument, "ktp", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocKTP, DocumentID: 11})
	h.send(at+time.Minute, workflows.UpdateSubmitDocument, "selfie", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSelfie, DocumentID: 12})
}

func (h *harness) actions() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, tr := range h.transitions {
		out = append(out, string(tr.Action))
	}
	return out
}

func rejectedWith(t *testing.T, o *outcome, want string) {
	t.Helper()
	require.True(t, o.done, "update never completed")
	require.NoError(t, o.rejected, "the validator let it through")
	require.Error(t, o.err)
	require.Equal(t, workflows.ErrTypeInvalid, errType(t, o.err))
	require.Contains(t, o.err.Error(), want)
}

func refusedWith(t *testing.T, o *outcome, want string) {
	t.Helper()
	require.True(t, o.done, "update never completed")
	require.Error(t, o.rejected)
	require.Equal(t, workflows.ErrTypeIllegalTransition, errType(t, o.rejected))
	require.Contains(t, o.rejected.Error(), want)
}

// TestJuloOnboardsThenOurUnderwritersDecide: registration, images, OTP and
// the application data at JULO, then our usual process to CLOSED; neither
// the OTP nor an approval is taken before its time.
func TestJuloOnboardsThenOurUnderwritersDecide(t *testing.T) {
	h := newHarness(t)
	julo := stubJulo(h)
	earlyOTP := h.send(30*time.Minute, workflows.UpdateSubmitOTP, "otp-early", otp(rightOTP))
	earlyApprove := h.send(31*time.Minute, workflows.UpdateApprove, "approve-early", staff("u1"))
	awaitingImages := h.statusAt(40 * time.Minute)
	uploadImages(h, time.Hour)
	stillEarly := h.send(90*time.Minute, workflows.UpdateApprove, "approve-still-early", staff("u1"))
	againKTP := h.send(91*time.Minute, workflows.UpdateSubmitDocument, "ktp-2", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocKTP, DocumentID: 13})
	verified := h.send(2*time.Hour, workflows.UpdateSubmitOTP, "otp-1", otp(rightOTP))
	twice := h.send(2*time.Hour+time.Minute, workflows.UpdateSubmitOTP, "otp-2", otp(rightOTP))
	approved := h.send(3*time.Hour, workflows.UpdateApprove, "approve-u1", staff("u1"))
	h.send(4*time.Hour, workflows.UpdateSubmitDocument, "doc-1", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocSignedAgreement, DocumentID: 1})
	h.send(5*time.Hour, workflows.UpdateSubmitDocument, "doc-2", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocBankStatement, DocumentID: 2})
	h.send(6*time.Hour, workflows.UpdateAuthorizeCashRelease, "auth", staff("ops"))
	h.send(7*time.Hour, workflows.UpdateConfirmDisbursement, "disburse", workflows.DisbursementRequest{Actor: "partner:demo"})
	h.send(8*time.Hour, workflows.UpdateRepay, "all", workflows.RepaymentRequest{Actor: "partner:demo", Key: "all", Amount: restAfter(t, "0")})
	view := h.run(juloInput())

	refusedWith(t, earlyOTP, "JULO has not texted the OTP yet")
	refusedWith(t, earlyApprove, "JULO application is not complete yet (step awaiting_images)")
	refusedWith(t, stillEarly, "step awaiting_otp")
	refusedWith(t, againKTP, "sent to JULO already")
	require.Equal(t, lending.StatusSubmitted, *awaitingImages)
	v := ok(t, verified)
	require.Equal(t, lending.StatusSubmitted, v.Status)
	refusedWith(t, twice, "verified already")
	require.Equal(t, lending.StatusApproved, ok(t, approved).Status)
	require.Equal(t, lending.StatusClosed, view.Status)
	require.Equal(t, juloXID, view.LenderLoanID)
	require.Equal(t, &workflows.JuloView{Step: workflows.JuloStepComplete, OTPAttemptsLeft: 3}, view.Julo)
	require.Equal(t, []string{"register", "images " + juloXID + " 11 12", "send-otp " + juloXID, "validate " + rightOTP, "complete " + juloXID}, julo.called())
	require.Equal(t, []string{
		"submit", "lender_register", "upload_document", "upload_document", "lender_images", "otp_sent", "otp_verified",
		"lender_complete", "approve", "upload_document", "submit_documents", "authorize_cash_release", "disburse", "close",
	}, h.actions())
	require.Equal(t, lending.Actor("lender:julo"), h.transitions[1].Actor)
	require.Equal(t, lending.Actor("partner:demo"), h.transitions[6].Actor)
}

func TestJuloOTPAttempts(t *testing.T) {
	t.Run("a wrong code, then the right one", func(t *testing.T) {
		h := newHarness(t)
		julo := stubJulo(h)
		uploadImages(h, time.Hour)
		wrong := h.send(2*time.Hour, workflows.UpdateSubmitOTP, "otp-1", otp("000000"))
		left := h.statusAt(2*time.Hour + 30*time.Second)
		right := h.send(2*time.Hour+time.Minute, workflows.UpdateSubmitOTP, "otp-2", otp(rightOTP))
		h.send(3*time.Hour, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
		view := h.run(juloInput())
		rejectedWith(t, wrong, "wrong OTP: 2 attempt(s) left")
		require.Equal(t, lending.StatusSubmitted, *left)
		require.Equal(t, workflows.JuloStepCompleting, ok(t, right).Julo.Step)
		require.Equal(t, 2, ok(t, right).Julo.OTPAttemptsLeft)
		require.Equal(t, lending.StatusCancelled, view.Status)
		require.Contains(t, julo.called(), "complete "+juloXID)
		require.Contains(t, h.actions(), "otp_wrong")
	})
	t.Run("the attempts run out", func(t *testing.T) {
		h := newHarness(t)
		julo := stubJulo(h)
		uploadImages(h, time.Hour)
		var tries []*outcome
		for i, code := range []string{"111111", "222222", "333333"} {
			tries = append(tries, h.send(2*time.Hour+time.Duration(i)*time.Minute, workflows.UpdateSubmitOTP, fmt.Sprintf("otp-%d", i), otp(code)))
		}
		view := h.run(juloInput())
		rejectedWith(t, tries[0], "2 attempt(s) left")
		rejectedWith(t, tries[1], "1 attempt(s) left")
		rejectedWith(t, tries[2], "no attempts left: the loan is rejected")
		require.Equal(t, lending.StatusRejected, view.Status)
		require.Equal(t, "the customer entered a wrong OTP 3 times", view.Reason)
		require.Equal(t, 0, view.Julo.OTPAttemptsLeft)
		require.NotContains(t, julo.called(), "complete "+juloXID)
		require.Equal(t, lending.Actor("lender:julo"), h.transitions[len(h.transitions)-1].Actor)
	})
	for _, tc := range []struct {
		name    string
		verdict activities.JuloOTPResult
		why     string
	}{
		{"the OTP expired", activities.JuloOTPResult{Verdict: activities.OTPExpired, Message: "OTP has expired, request a new one"}, "the OTP has expired"},
		{"JULO counted too many attempts", activities.JuloOTPResult{Verdict: activities.OTPExhausted, Message: "Too many attempts, request a new OTP"}, "JULO allows no more OTP attempts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			julo := stubJulo(h)
			julo.verdicts["654321"] = tc.verdict
			uploadImages(h, time.Hour)
			late := h.send(2*time.Hour, workflows.UpdateSubmitOTP, "otp-1", otp("654321"))
			view := h.run(juloInput())
			rejectedWith(t, late, tc.why+": the loan is rejected")
			require.Equal(t, lending.StatusRejected, view.Status)
			require.Equal(t, tc.why+" (JULO: "+tc.verdict.Message+")", view.Reason)
		})
	}
	t.Run("a code typed while JULO's answer to the send is still awaited", func(t *testing.T) {
		h := newHarness(t)
		// JULO takes a minute to answer the send; the SMS is out before.
		h.env.OnActivity(acts.JuloSendOTP, mock.Anything, mock.Anything).After(time.Minute).Return(nil)
		stubJulo(h)
		uploadImages(h, time.Hour)
		quick := h.send(time.Hour+90*time.Second, workflows.UpdateSubmitOTP, "otp-1", otp(rightOTP))
		h.send(3*time.Hour, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
		h.run(juloInput())
		require.Equal(t, workflows.JuloStepCompleting, ok(t, quick).Julo.Step)
		actions := h.actions()
		require.Less(t, slices.Index(actions, "otp_sent"), slices.Index(actions, "otp_verified"))
	})
	t.Run("JULO unreachable: the same code is tried again in a new round", func(t *testing.T) {
		h := newHarness(t)
		julo := stubJulo(h)
		julo.unreachable[rightOTP] = true
		uploadImages(h, time.Hour)
		lost := h.send(2*time.Hour, workflows.UpdateSubmitOTP, "otp-round-0", otp(rightOTP))
		h.env.RegisterDelayedCallback(func() {
			julo.mu.Lock()
			defer julo.mu.Unlock()
			delete(julo.unreachable, rightOTP)
		}, 2*time.Hour+5*time.Minute)
		retried := h.send(2*time.Hour+10*time.Minute, workflows.UpdateSubmitOTP, "otp-round-1", otp(rightOTP))
		h.send(3*time.Hour, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
		view := h.run(juloInput())
		require.True(t, lost.done)
		require.NoError(t, lost.rejected)
		require.Error(t, lost.err)
		var appErr *temporal.ApplicationError
		require.False(t, errors.As(lost.err, &appErr) && appErr.Type() == workflows.ErrTypeInvalid, "no verdict is not a wrong code")
		require.Equal(t, 1, ok(t, retried).Julo.OTPRound)
		require.Equal(t, 3, ok(t, retried).Julo.OTPAttemptsLeft, "an unanswered check costs no attempt")
		require.Equal(t, lending.StatusCancelled, view.Status)
	})
}

func TestJuloRefusalsAndTimeouts(t *testing.T) {
	t.Run("JULO refuses the registration", func(t *testing.T) {
		h := newHarness(t)
		julo := stubJulo(h)
		julo.registerErr = temporal.NewNonRetryableApplicationError("julo: NIK already registered", activities.ErrTypeProviderRefused, nil)
		view := h.run(juloInput())
		require.Equal(t, lending.StatusRejected, view.Status)
		require.Equal(t, "JULO refused the registration: julo: NIK already registered", view.Reason)
		require.Equal(t, []string{"register"}, julo.called())
	})
	t.Run("no images within the approval SLA", func(t *testing.T) {
		h := newHarness(t)
		stubJulo(h)
		h.send(time.Hour, workflows.UpdateSubmitDocument, "ktp", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocKTP, DocumentID: 11})
		view := h.run(juloInput())
		require.Equal(t, lending.StatusExpired, view.Status)
		require.Contains(t, view.Reason, "step awaiting_images")
		require.Equal(t, start.Add(7*24*time.Hour), h.transitions[len(h.transitions)-1].At)
	})
	t.Run("an OTP or images for a loan JULO does not fund", func(t *testing.T) {
		h := newHarness(t)
		stubJulo(h)
		o := h.send(time.Hour, workflows.UpdateSubmitOTP, "otp", otp(rightOTP))
		img := h.send(time.Hour, workflows.UpdateSubmitDocument, "ktp", workflows.DocumentRequest{Actor: "partner:demo", Kind: lending.DocKTP, DocumentID: 11})
		h.send(2*time.Hour, workflows.UpdateCancel, "cancel", workflows.DecisionRequest{Actor: "partner:demo"})
		view := h.run(input("2000.00", 6))
		refusedWith(t, o, "only a loan funded by JULO")
		require.Equal(t, workflows.ErrTypeInvalid, errType(t, img.rejected))
		require.Nil(t, view.Julo)
	})
}
