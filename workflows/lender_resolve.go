package workflows

import (
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
)

// LenderResolution is operations' answer to a JULO step whose outcome was
// unknown, read from JULO's partner portal: the application_xid JULO
// registered the customer under, or whether JULO verified the phone.
type LenderResolution struct {
	Actor          lending.Actor
	ApplicationXID string
	PhoneVerified  *bool
}

func (l *loan) validateResolveLender(req LenderResolution) error {
	if !l.isJulo() {
		return temporal.NewApplicationError("only a loan funded by JULO has lender steps to resolve", ErrTypeIllegalTransition)
	}
	if !l.statusIs(lending.StatusSubmitted) {
		return illegal("resolve the lender step of", l.st.Status)
	}
	if err := requireActor(req.Actor); err != nil {
		return err
	}
	j := l.st.Julo
	switch {
	case j.RegistrationUnknown && l.st.LenderLoanID == "":
		if req.PhoneVerified != nil {
			return invalidField("phone_verified", "not asked: the registration is what is unknown")
		}
		if req.ApplicationXID == "" {
			return invalidField("application_xid", "required: the application JULO's partner portal shows for the customer")
		}
		if strings.Trim(req.ApplicationXID, "0123456789") != "" || len(req.ApplicationXID) > 19 {
			return invalidField("application_xid", "must be JULO's numeric application_xid")
		}
	case j.VerificationPending:
		if req.ApplicationXID != "" {
			return invalidField("application_xid", "not asked: the phone verification is what is unknown")
		}
		if req.PhoneVerified == nil {
			return invalidField("phone_verified", "required: true if JULO's partner portal shows the phone verified, false if not")
		}
	default:
		return temporal.NewApplicationError("no JULO step of this loan has an unknown outcome: there is nothing to resolve", ErrTypeIllegalTransition)
	}
	return nil
}

// resolveLender applies operations' resolution: a linked application goes
// on to the images, a verified phone to the application data; a phone JULO
// did not verify lets the partner submit the code again.
func (l *loan) resolveLender(ctx workflow.Context, req LenderResolution) (*LoanView, error) {
	return l.locked(ctx, func() error { return l.validateResolveLender(req) }, func() error {
		j := l.st.Julo
		cleared := ""
		opts := []func(*activities.Transition){func(t *activities.Transition) { t.ProviderError = &cleared }}
		var reason string
		switch {
		case j.RegistrationUnknown && l.st.LenderLoanID == "":
			xid := req.ApplicationXID
			reason = "linked to JULO application " + xid + " from JULO's partner portal"
			opts = append(opts, func(t *activities.Transition) { t.LenderLoanID = &xid })
		case *req.PhoneVerified:
			reason = "JULO's partner portal shows the phone verified"
		default:
			reason = "JULO's partner portal shows the phone not verified: the partner submits the code again"
		}
		if err := l.record(interactive(ctx), lending.ActionLenderResolved, req.Actor, lending.StatusSubmitted, reason, nil, opts...); err != nil {
			return err
		}
		switch {
		case j.RegistrationUnknown && l.st.LenderLoanID == "":
			l.st.LenderLoanID, j.RegistrationUnknown = req.ApplicationXID, false
		default:
			j.VerificationPending, j.Verified = false, *req.PhoneVerified
		}
		return nil
	})
}
