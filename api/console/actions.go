package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// loanAction is one of the things staff do to a loan. run calls the
// service.Service method the JSON API calls too.
type loanAction struct {
	name string // audited action
	verb string // for messages: "approve"
	// form prefixes the form's field names, so that the forms of one page
	// keep their values and messages apart: the service's field "amount"
	// is the form's form+"amount" ("refund_amount").
	form string
	// reason: the form has a reason field; fields are its other fields,
	// typed values kept when the page is shown again after a refusal.
	reason bool
	fields []string
	run    runAction
	done   func(l *models.Loan) string
}

func (c *console) approve(gc *gin.Context) {
	c.act(gc, loanAction{
		name: actionApprove, verb: "approve",
		run: withoutReason(c.svc.Approve),
		done: func(l *models.Loan) string {
			if l.Status == lending.StatusSubmitted {
				return fmt.Sprintf("Your approval of loan %d is recorded. Four eyes: it stays Submitted until a second underwriter approves it.", l.Ref)
			}
			return fmt.Sprintf("Loan %d is approved. The partner can now upload the signed agreement and bank statement.", l.Ref)
		},
	})
}

func (c *console) reject(gc *gin.Context) {
	c.act(gc, loanAction{
		name: actionReject, verb: "reject", reason: true,
		run:  c.svc.Reject,
		done: func(l *models.Loan) string { return fmt.Sprintf("Loan %d is rejected.", l.Ref) },
	})
}

func (c *console) rejectDocuments(gc *gin.Context) {
	c.act(gc, loanAction{
		name: actionRejectDocuments, verb: "reject the documents of", form: "doc_", reason: true,
		run: c.svc.RejectDocuments,
		done: func(l *models.Loan) string {
			return fmt.Sprintf("The documents of loan %d are rejected. The loan is back to Approved, waiting for the partner to upload them again.", l.Ref)
		},
	})
}

func (c *console) authorizeRelease(gc *gin.Context) {
	c.act(gc, loanAction{
		name: actionAuthorizeRelease, verb: "authorize the cash release of",
		run: withoutReason(c.svc.AuthorizeCashRelease),
		done: func(l *models.Loan) string {
			return fmt.Sprintf("Cash release of loan %d is authorized. The partner may now pay out.", l.Ref)
		},
	})
}

func (c *console) retryProvider(gc *gin.Context) {
	c.act(gc, loanAction{
		name: actionRetryProvider, verb: "retry the refused provider step of",
		run: withoutReason(c.svc.RetryProvider),
		done: func(l *models.Loan) string {
			return fmt.Sprintf("The refused step of loan %d is being sent again. If the provider refuses it again, its answer shows here.", l.Ref)
		},
	})
}

// runAction runs a loan action for staff st with the form's reason and
// idempotency key.
type runAction func(ctx context.Context, st *models.Staff, ref int64, reason, key string) (service.Outcome, error)

// withoutReason runs an action that takes no reason.
func withoutReason(run func(ctx context.Context, st *models.Staff, ref int64, key string) (service.Outcome, error)) runAction {
	return func(ctx context.Context, st *models.Staff, ref int64, _, key string) (service.Outcome, error) {
		return run(ctx, st, ref, key)
	}
}

// nonceKey turns the form's nonce into the Update's idempotency key, so a
// form submitted twice acts once.
var nonceKey = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// act runs a loan action: the stale-page check, the Service call, the audit
// entry, then a redirect to the loan page with the outcome, or the loan
// page again with the reason it was refused.
func (c *console) act(gc *gin.Context, a loanAction) {
	ctx := gc.Request.Context()
	st := staffOf(gc)
	ref, ok := loanRef(gc)
	if !ok {
		c.notFound(gc, "loan")
		return
	}
	target := fmt.Sprintf("loan %d", ref)
	form := gc.Request.PostForm
	refill := &loanView{Form: map[string]string{}, FieldErrors: map[string]string{}}
	for _, f := range a.fields {
		refill.Form[a.form+f] = form.Get(a.form + f)
	}
	reason := ""
	if a.reason {
		reason = strings.TrimSpace(form.Get(a.form + "reason"))
		refill.Form[a.form+"reason"] = reason
	}
	key := ""
	if n := form.Get("nonce"); nonceKey.MatchString(n) {
		key = "console-" + n
	}

	loan, err := c.store.GetLoan(ctx, ref)
	if errors.Is(err, models.ErrNotFound) {
		c.audit(gc, st.Username, a.name, target, models.OutcomeRefused, "no such loan")
		c.notFound(gc, "loan")
		return
	}
	if err != nil {
		c.outage(gc, "read loan", err)
		return
	}
	before := loan.Status

	// The page the form came from showed the loan in status seen; if it has
	// moved on since, the person acted on a picture that is no longer true.
	if seen := lending.Status(form.Get("seen")); seen != loan.Status {
		msg := fmt.Sprintf("Nothing was done: loan %d changed while your page was open. It is now %s (your page showed %s). Review it below and act again if still needed.",
			ref, statusLabel(loan.Status), statusLabel(seen))
		if reason != "" {
			msg += " The reason you typed, not used: “" + reason + "”."
		}
		c.audit(gc, st.Username, a.name, target, models.OutcomeRefused, "stale page: showed "+string(seen)+", loan is "+string(loan.Status))
		c.showLoan(gc, ref, http.StatusConflict, msg, refill)
		return
	}
	out, err := a.run(ctx, st, ref, reason, key)
	after := out.Loan
	if err != nil {
		status, outcome, msg, fields := explain(err, a.verb)
		if outcome == models.OutcomeFailed {
			c.log.Error("console loan action failed", "action", a.name, "ref", ref, "error", err)
		}
		for f, m := range fields {
			refill.FieldErrors[a.form+f] = m
		}
		c.audit(gc, st.Username, a.name, target, outcome, msg)
		c.showLoan(gc, ref, status, msg, refill)
		return
	}
	detail := string(before) + " → " + string(after.Status)
	if reason != "" {
		detail += "; reason: " + reason
	}
	c.audit(gc, st.Username, a.name, target, models.OutcomeOK, detail)
	c.redirectWithFlash(gc, loanURL(ref), a.done(after))
}

// explain turns a Service error into an HTTP status, an audit outcome, a
// message for the person and the fields to fix.
func explain(err error, verb string) (int, string, string, map[string]string) {
	fields := map[string]string{}
	detail := ""
	if se := failure.As(err); se != nil {
		detail = se.Detail
		for _, f := range se.Fields {
			fields[f.Field] = sentence(f.Message)
		}
	}
	switch failure.KindOf(err) {
	case failure.KindInvalid:
		if len(fields) > 0 {
			return http.StatusBadRequest, models.OutcomeRefused, "Nothing was done: fix the highlighted field.", fields
		}
		return http.StatusBadRequest, models.OutcomeRefused, "Nothing was done: " + detail + ".", fields
	case failure.KindForbidden:
		return http.StatusForbidden, models.OutcomeDenied, "Not allowed: " + detail + ".", fields
	case failure.KindConflict:
		return http.StatusConflict, models.OutcomeRefused,
			"Nothing was done: the loan has moved on (" + detail + "). The page shows its current state.", fields
	case failure.KindNotFound:
		return http.StatusNotFound, models.OutcomeRefused, "Nothing was done: " + detail + ".", fields
	}
	return http.StatusServiceUnavailable, models.OutcomeFailed,
		"The loan engine did not answer, so the request to " + verb + " this loan may or may not have been applied. Check the page below before trying again.", fields
}

// sentence capitalises a field message: "required" → "Required."
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
