package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
)

// A loan funded by JULO is onboarded at JULO while it is SUBMITTED and
// screened: the customer is registered (JULO's application_xid becomes the
// loan's LenderLoanID), the KTP and selfie images the partner uploads are
// sent, JULO texts an OTP, the partner submits the code the customer
// received (UpdateSubmitOTP) and, once JULO has verified it, the
// application data is completed. JULO registers and verifies the customer;
// it decides nothing here (its partnership API has no decision, pay-out or
// repayment calls), so the loan then goes on to our own underwriters, who
// may not approve it before the application is complete. A refusal by JULO
// at any step rejects the loan with JULO's message.

// JuloMaxOTPAttempts is how many wrong OTPs the customer may enter before
// the loan is rejected: JULO's own limit (three in its simulator), so the
// attempts left we announce match JULO's. JULO's count still wins: its
// "too many attempts" rejects the loan whatever ours says.
const JuloMaxOTPAttempts = 3

// JuloState is the progress of a loan's onboarding at JULO.
type JuloState struct {
	ImagesSent bool
	OTPSent    bool
	// OTPSending: the send is in flight. JULO may have texted the code
	// already, and a customer typing it then is not refused: the OTP
	// Update waits for the send to be recorded.
	OTPSending bool
	// OTPAttempts counts the wrong codes entered.
	OTPAttempts int
	// OTPRound is bumped when a submitted code got no recorded verdict
	// (JULO or our database could not be reached): the API puts it in
	// the Update ID, so the same code submitted again is a new Update
	// rather than the stored failure of the previous one.
	OTPRound  int
	Verified  bool
	Completed bool
	// RegistrationUnknown: the registration's answer was lost and JULO
	// refuses the repeat; operations link the application (UpdateResolveLender).
	RegistrationUnknown bool `json:",omitempty"`
	// VerificationPending: the OTP validation's answer was lost and JULO
	// does not confirm the code now; operations say whether JULO verified
	// the phone.
	VerificationPending bool `json:",omitempty"`
}

// JULO onboarding steps, as JuloView shows them.
const (
	JuloStepRegistering = "registering"
	// The two steps whose outcome operations settle from JULO's portal.
	JuloStepRegistrationPending = "registration_pending"
	JuloStepVerificationPending = "verification_pending"
	JuloStepAwaitingImages      = "awaiting_images"
	JuloStepSendingOTP          = "sending_otp"
	JuloStepAwaitingOTP         = "awaiting_otp"
	JuloStepCompleting          = "completing"
	JuloStepComplete            = "complete"
)

// JuloView is a JULO loan's onboarding as the status Query answers it.
type JuloView struct {
	Step            string
	OTPAttemptsLeft int
	OTPRound        int
}

func (l *loan) isJulo() bool { return l.in.Product.Lender == lending.LenderJulo }

// initJulo gives a JULO loan its onboarding state before any handler can
// read it: validators must not create state.
func (l *loan) initJulo() {
	if l.isJulo() && l.st.Julo == nil {
		l.st.Julo = &JuloState{}
	}
}

// juloOnboarding: the loan still has steps to go at JULO.
func (l *loan) juloOnboarding() bool { return l.isJulo() && !l.st.Julo.Completed }

func (l *loan) juloStep() string {
	j := l.st.Julo
	switch {
	case l.st.LenderLoanID == "" && j.RegistrationUnknown:
		return JuloStepRegistrationPending
	case l.st.LenderLoanID == "":
		return JuloStepRegistering
	case !j.ImagesSent:
		return JuloStepAwaitingImages
	case !j.OTPSent:
		return JuloStepSendingOTP
	case j.VerificationPending:
		return JuloStepVerificationPending
	case !j.Verified:
		return JuloStepAwaitingOTP
	case !j.Completed:
		return JuloStepCompleting
	}
	return JuloStepComplete
}

func (l *loan) juloView() *JuloView {
	if l.st.Julo == nil {
		return nil
	}
	return &JuloView{Step: l.juloStep(), OTPAttemptsLeft: max(0, JuloMaxOTPAttempts-l.st.Julo.OTPAttempts), OTPRound: l.st.Julo.OTPRound}
}

// juloImages are the uploaded KTP and selfie, zero where missing.
func (l *loan) juloImages() [2]uint {
	return [2]uint{l.st.Documents[lending.DocKTP], l.st.Documents[lending.DocSelfie]}
}

func (l *loan) juloImagesUploaded() bool {
	ids := l.juloImages()
	return ids[0] != 0 && ids[1] != 0
}

// onboardJulo runs the JULO steps still to do. It returns when they are
// all done, or when the loan left SUBMITTED (cancelled, rejected, expired).
func (l *loan) onboardJulo(ctx workflow.Context) error {
	j := l.st.Julo
	deadline := l.in.SubmittedAt.Add(l.in.ApprovalTTL)
	submitted := func() bool { return l.st.Status == lending.StatusSubmitted }
	if l.st.LenderLoanID == "" && !j.RegistrationUnknown {
		var xid string
		err := workflow.ExecuteActivity(step(durable(ctx), "register the customer at JULO"), a.JuloRegister, l.lenderInput()).Get(ctx, &xid)
		switch {
		case isOutcomeUnknown(err):
			// Only new code returns this error type: stored histories
			// replay the branches below.
			if err := l.juloUnknown(ctx, refusalMessage(err)); err != nil || !submitted() {
				return err
			}
			j.RegistrationUnknown = true
		case err != nil:
			return l.juloRefused(ctx, "the registration", err)
		default:
			l.st.LenderLoanID = xid
			if err := l.juloEvent(ctx, lending.ActionLenderRegister, "JULO application "+xid); err != nil || !submitted() {
				return err
			}
		}
	}
	if l.st.LenderLoanID == "" {
		if ok, err := l.juloAwait(ctx, deadline, "operations to link JULO's application", func() bool { return l.st.LenderLoanID != "" }); !ok {
			return err
		}
	}
	for !j.ImagesSent {
		if ok, err := l.juloAwait(ctx, deadline, "the customer's KTP and selfie", l.juloImagesUploaded); !ok {
			return err
		}
		sending := l.juloImages()
		if err := workflow.ExecuteActivity(step(durable(ctx), "upload the KTP and selfie to JULO"), a.JuloUploadImages, l.lenderInput()).Get(ctx, nil); err != nil {
			return l.juloRefused(ctx, "the images", err)
		}
		if !submitted() {
			return nil
		}
		// An image replaced while the upload ran is sent again.
		j.ImagesSent = sending == l.juloImages()
	}
	if !j.OTPSent {
		if err := l.juloEvent(ctx, lending.ActionLenderImages, "KTP and selfie sent to JULO"); err != nil || !submitted() {
			return err
		}
		j.OTPSending = true
		err := l.sendJuloOTP(ctx)
		j.OTPSending = false
		if err != nil || !submitted() {
			return err
		}
	}
	if ok, err := l.juloAwait(ctx, deadline, "the OTP JULO texted the customer", func() bool { return j.Verified }); !ok {
		return err
	}
	if err := workflow.ExecuteActivity(step(durable(ctx), "send JULO the application data"), a.JuloComplete, l.lenderInput()).Get(ctx, nil); err != nil {
		return l.juloRefused(ctx, "the application data", err)
	}
	j.Completed = true
	return l.juloEvent(ctx, lending.ActionLenderComplete, "JULO application complete; the loan awaits our underwriters")
}

func (l *loan) sendJuloOTP(ctx workflow.Context) error {
	if err := workflow.ExecuteActivity(step(durable(ctx), "have JULO text the customer an OTP"), a.JuloSendOTP, l.lenderInput()).Get(ctx, nil); err != nil {
		return l.juloRefused(ctx, "to send the OTP", err)
	}
	l.st.Julo.OTPSent = true
	return l.juloEvent(ctx, lending.ActionOTPSent, "JULO texted an OTP to the customer")
}

// juloAwait waits for what, until cond holds (true), or the loan leaves
// SUBMITTED or the approval SLA runs out, which expires it (false).
func (l *loan) juloAwait(ctx workflow.Context, deadline time.Time, what string, cond func() bool) (bool, error) {
	for {
		if l.st.Status != lending.StatusSubmitted {
			return false, nil
		}
		if cond() {
			return true, nil
		}
		wait := deadline.Sub(workflow.Now(ctx))
		if wait <= 0 {
			return false, l.systemTransition(ctx, lending.StatusSubmitted, lending.ActionExpire, lending.System, lending.StatusExpired,
				"the JULO application was not completed within the approval SLA (step "+l.juloStep()+")")
		}
		if _, err := l.wait(ctx, what, "approval SLA ends", deadline, func() bool { return cond() || l.st.Status != lending.StatusSubmitted }); err != nil {
			return false, err
		}
	}
}

// juloEvent records an onboarding step in the loan's audit trail; the
// status stays SUBMITTED.
func (l *loan) juloEvent(ctx workflow.Context, action lending.Action, reason string) error {
	return l.systemTransition(ctx, lending.StatusSubmitted, action, lending.LenderActor(l.in.Product.Lender), lending.StatusSubmitted, reason)
}

// juloRefused rejects the loan with JULO's refusal of a step. Any other
// failure (the workflow being cancelled) is returned.
func (l *loan) juloRefused(ctx workflow.Context, what string, err error) error {
	if !isRefusal(err) {
		return err
	}
	reason := "JULO refused " + what + ": " + refusalMessage(err)
	return l.systemTransition(ctx, lending.StatusSubmitted, lending.ActionLenderReject, lending.LenderActor(l.in.Product.Lender), lending.StatusRejected, reason,
		func(t *activities.Transition) { t.ProviderError = &reason })
}

// validateJuloImage admits a KTP or selfie image while a JULO loan waits
// for them.
func (l *loan) validateJuloImage(kind lending.DocumentKind) error {
	if !l.isJulo() {
		return invalid("a " + string(kind) + " image is taken only for loans funded by JULO")
	}
	if !l.statusIs(lending.StatusSubmitted) {
		return illegal("upload a "+string(kind)+" for", l.st.Status)
	}
	if l.st.Julo.ImagesSent {
		return temporal.NewApplicationError("the KTP and selfie images have been sent to JULO already", ErrTypeIllegalTransition)
	}
	return nil
}

// juloApprovable refuses our underwriters' approval of a JULO loan whose
// application JULO has not completed.
func (l *loan) juloApprovable() error {
	if l.isJulo() && !l.st.Julo.Completed {
		return temporal.NewApplicationError("the JULO application is not complete yet (step "+l.juloStep()+
			"): underwriters decide once JULO has registered and verified the customer", ErrTypeIllegalTransition)
	}
	return nil
}

func (l *loan) validateSubmitOTP(req OTPRequest) error {
	if !l.isJulo() {
		return temporal.NewApplicationError("only a loan funded by JULO takes an OTP", ErrTypeIllegalTransition)
	}
	if !l.statusIs(lending.StatusSubmitted) {
		return illegal("submit an OTP for", l.st.Status)
	}
	if err := requireActor(req.Actor); err != nil {
		return err
	}
	if req.OTP == "" {
		return invalid("otp is required")
	}
	j := l.st.Julo
	switch {
	case !j.OTPSent && !j.OTPSending:
		return temporal.NewApplicationError("JULO has not texted the OTP yet (step "+l.juloStep()+")", ErrTypeIllegalTransition)
	case j.Verified:
		return temporal.NewApplicationError("the OTP has been verified already", ErrTypeIllegalTransition)
	case j.VerificationPending:
		return verificationPending()
	case j.OTPAttempts >= JuloMaxOTPAttempts:
		return temporal.NewApplicationError("no OTP attempts are left", ErrTypeIllegalTransition)
	}
	return nil
}

// submitOTP has JULO validate the code. A wrong code answers an Invalid
// error with the attempts left; the last wrong attempt, an expired OTP or
// JULO's own "too many attempts" reject the loan (the Update then fails
// with an Invalid error saying so); the right code lets the onboarding go
// on. Each verdict is in the audit trail before the Update answers.
func (l *loan) submitOTP(ctx workflow.Context, req OTPRequest) (*LoanView, error) {
	if err := workflow.Await(ctx, func() bool { return !l.st.Julo.OTPSending }); err != nil {
		return nil, err
	}
	return l.locked(ctx, func() error { return l.validateSubmitOTP(req) }, func() error {
		err := l.checkOTP(ctx, req)
		var appErr *temporal.ApplicationError
		if err != nil && !(errors.As(err, &appErr) && appErr.Type() == ErrTypeInvalid) {
			l.st.Julo.OTPRound++
		}
		return err
	})
}

func (l *loan) checkOTP(ctx workflow.Context, req OTPRequest) error {
	j := l.st.Julo
	in := l.lenderInput()
	in.OTP = req.OTP
	var res activities.JuloOTPResult
	if err := workflow.ExecuteActivity(step(interactive(ctx), "have JULO check the OTP"), a.JuloValidateOTP, in).Get(ctx, &res); err != nil {
		if !isRefusal(err) {
			return err
		}
		reason := "JULO refused the OTP check: " + refusalMessage(err)
		if err := l.juloReject(ctx, reason); err != nil {
			return err
		}
		return invalid(reason + "; the loan is rejected")
	}
	switch res.Verdict {
	case activities.OTPUnknown:
		reason := "JULO's answer on the OTP was lost and JULO does not confirm the code now (JULO: " + res.Message +
			"): verification pending until operations check JULO's partner portal"
		if err := l.record(interactive(ctx), lending.ActionLenderUnknown, lending.LenderActor(l.in.Product.Lender), lending.StatusSubmitted, reason, nil,
			func(t *activities.Transition) { t.ProviderError = &reason }); err != nil {
			return err
		}
		j.VerificationPending = true
		return verificationPending()
	case activities.OTPValid:
		if err := l.record(interactive(ctx), lending.ActionOTPVerified, req.Actor, lending.StatusSubmitted, "JULO verified the customer's phone", nil); err != nil {
			return err
		}
		j.Verified = true
		return nil
	case activities.OTPWrong:
		attempts := j.OTPAttempts + 1
		left := JuloMaxOTPAttempts - attempts
		if left <= 0 {
			if err := l.juloReject(ctx, fmt.Sprintf("the customer entered a wrong OTP %d times", attempts)); err != nil {
				return err
			}
			j.OTPAttempts = attempts
			return invalid("wrong OTP and no attempts left: the loan is rejected")
		}
		if err := l.record(interactive(ctx), lending.ActionOTPWrong, req.Actor, lending.StatusSubmitted, fmt.Sprintf("wrong OTP, %d attempts left", left), nil); err != nil {
			return err
		}
		j.OTPAttempts = attempts
		return invalid(fmt.Sprintf("wrong OTP: %d attempt(s) left", left))
	}
	why := map[string]string{
		activities.OTPExpired:      "the OTP has expired",
		activities.OTPExhausted:    "JULO allows no more OTP attempts",
		activities.OTPNotRequested: "JULO has no OTP pending for the application",
	}[res.Verdict]
	if why == "" {
		why = "JULO's verdict " + res.Verdict
	}
	if err := l.juloReject(ctx, why+" (JULO: "+res.Message+")"); err != nil {
		return err
	}
	return invalid(why + ": the loan is rejected")
}

// verificationPending is the partner's answer while JULO's verdict on a
// code is unknown: the truth, never "wrong OTP" for a code JULO may have
// accepted.
func verificationPending() error {
	return temporal.NewApplicationError("verification pending: JULO's answer on the code was lost, and operations are confirming with JULO whether it verified the phone",
		ErrTypeIllegalTransition)
}

// isOutcomeUnknown: a lender step's outcome is unknown (its answer lost).
func isOutcomeUnknown(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.Type() == activities.ErrTypeLenderOutcomeUnknown
}

// juloUnknown records that a JULO step's outcome is unknown; the loan is
// in the attention queue with why until operations resolve it.
func (l *loan) juloUnknown(ctx workflow.Context, reason string) error {
	return l.systemTransition(ctx, lending.StatusSubmitted, lending.ActionLenderUnknown, lending.LenderActor(l.in.Product.Lender), lending.StatusSubmitted, reason,
		func(t *activities.Transition) { t.ProviderError = &reason })
}

// juloReject rejects the loan on JULO's behalf; the caller holds the lock.
func (l *loan) juloReject(ctx workflow.Context, reason string) error {
	return l.record(interactive(ctx), lending.ActionLenderReject, lending.LenderActor(l.in.Product.Lender), lending.StatusRejected, reason, nil,
		func(t *activities.Transition) { t.ProviderError = &reason })
}
