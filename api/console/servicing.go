package console

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
	"github.com/loanflow/loanflow/servicing"
)

// The servicing of a paid-out loan on its page: the arrears and money
// figures, today's payoff quote, and the staff actions (refund, waiver,
// write-off, payment holiday). Every action calls the service.Service
// method the JSON back-office API calls; the workflow decides whether it is
// allowed now (status, amounts, four eyes) and the page shows its answer.

// waiverComponents are what a waiver may forgive, in the form's order.
var waiverComponents = []servicing.Component{servicing.Penalties, servicing.Fees, servicing.Interest}

// servicingFigures fills the loan page's servicing part: today's payoff
// while the loan can be settled, and the actions the staff member's role
// has in the loan's status. The loan is still shown when the engine does
// not answer for the quote: the page says the quote is missing.
func (c *console) servicingFigures(ctx context.Context, st *models.Staff, v *loanView) {
	l := v.Loan
	v.PaidOut = l.Status.PaidOut()
	settleable := l.Status == lending.StatusActive || l.Status == lending.StatusInArrears
	if settleable {
		p, err := c.svc.Payoff(ctx, service.AsStaff(st), l.Ref, nil)
		switch {
		case err == nil:
			v.Payoff = p.Quote
		case failure.KindOf(err) == failure.KindConflict:
			// The loan moved on since it was read; the page shows it as stored.
		default:
			c.log.Error("console: payoff quote", "ref", l.Ref, "error", err)
			v.PayoffNote = "Today's payoff quote is not available: the loan engine did not answer. Reload the page in a minute."
		}
	}
	ops, uw := st.Role == lending.RoleOperations, st.Role == lending.RoleUnderwriter
	v.CanRefund = ops && l.Status == lending.StatusOverpaid
	v.CanWaive = ops && settleable
	v.CanWriteOff = ops && settleable
	v.CanReschedule = uw && settleable
	v.WaiverComponents = waiverComponents
}

// formAmount reads an amount typed in a form ("1,250.50" is 1250.50); one
// that is no number is a field error on field, the service's name for it.
func formAmount(s, field string) (decimal.Decimal, failure.FieldErrors) {
	var errs failure.FieldErrors
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		errs.Add(field, "required")
		return decimal.Zero, errs
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		errs.Add(field, "must be an amount such as 25 or 1250.50")
	}
	return d, errs
}

// moneyAction is a refund or a waiver from its form.
func (c *console) moneyAction(gc *gin.Context, a loanAction, component bool,
	do func(context.Context, *models.Staff, int64, service.MoneyAction) (service.Outcome, error)) {
	form := gc.Request.PostForm
	amount, errs := formAmount(form.Get(a.form+"amount"), "amount")
	r := service.MoneyAction{Amount: amount, DecodeErrors: errs}
	a.reason, a.fields = true, []string{"amount"}
	if component {
		r.Component = form.Get(a.form + "component")
		a.fields = append(a.fields, "component")
	}
	a.run = func(ctx context.Context, st *models.Staff, ref int64, reason, key string) (service.Outcome, error) {
		r.Reason, r.Key = reason, key
		return do(ctx, st, ref, r)
	}
	c.act(gc, a)
}

func (c *console) refund(gc *gin.Context) {
	c.moneyAction(gc, loanAction{
		name: actionRefund, verb: "refund the overpayment of", form: "refund_",
		done: func(l *models.Loan) string {
			if l.Status == lending.StatusClosed {
				return fmt.Sprintf("The refund is recorded. Nothing is overpaid any more: loan %d is closed.", l.Ref)
			}
			scale := c.svc.CurrencyDecimals(gc.Request.Context(), l.ProductCode)
			return fmt.Sprintf("The refund is recorded. Loan %d still holds %s %s overpaid.", l.Ref, formatMoney(l.Overpaid, scale), l.Currency)
		},
	}, false, c.svc.Refund)
}

func (c *console) waive(gc *gin.Context) {
	c.moneyAction(gc, loanAction{
		name: actionWaive, verb: "waive a charge of", form: "waiver_",
		done: func(l *models.Loan) string {
			return fmt.Sprintf("The waiver is recorded: what loan %d has due, and its payoff, dropped by the amount waived.", l.Ref)
		},
	}, true, c.svc.Waive)
}

func (c *console) writeOff(gc *gin.Context) {
	c.act(gc, loanAction{
		name: actionWriteOff, verb: "write off", form: "write_off_", reason: true,
		run: c.svc.WriteOff,
		done: func(l *models.Loan) string {
			if l.Status == lending.StatusWrittenOff {
				return fmt.Sprintf("Loan %d is written off. Repayments from now on count as recoveries.", l.Ref)
			}
			return fmt.Sprintf("Your write-off of loan %d is recorded. Four eyes: it is written off when a second operations colleague confirms it.", l.Ref)
		},
	})
}

func (c *console) reschedule(gc *gin.Context) {
	const field = "reschedule_defer_periods"
	typed := strings.TrimSpace(gc.Request.PostForm.Get(field))
	periods, perr := strconv.Atoi(typed)
	c.act(gc, loanAction{
		name: actionReschedule, verb: "grant a payment holiday on", form: "reschedule_", reason: true,
		fields: []string{"defer_periods"},
		run: func(ctx context.Context, st *models.Staff, ref int64, reason, key string) (service.Outcome, error) {
			if perr != nil {
				return service.Outcome{}, failure.Invalid("defer_periods", "must be a whole number of installments, such as 1 or 2")
			}
			return c.svc.Reschedule(ctx, st, ref, periods, reason, key)
		},
		done: func(l *models.Loan) string {
			if c.lastAction(gc, l.Ref) == lending.ActionRescheduleFirst {
				return fmt.Sprintf("Your payment holiday for loan %d is recorded. Four eyes: the installments move when a second underwriter grants it too.", l.Ref)
			}
			return fmt.Sprintf("Payment holiday granted: the unpaid installments of loan %d moved %d period(s) later.", l.Ref, periods)
		},
	})
}

// lastAction is the latest entry of the loan's audit trail, "" when it
// cannot be read (the message then says the general case).
func (c *console) lastAction(gc *gin.Context, ref int64) lending.Action {
	trail, err := c.store.AuditTrail(gc.Request.Context(), ref)
	if err != nil || len(trail) == 0 {
		return ""
	}
	return trail[len(trail)-1].Action
}
