package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
	"github.com/loanflow/loanflow/servicing"
)

// payoffJSON is a payoff quote at the currency's scale.
type payoffJSON struct {
	AsOf              string `json:"as_of"`
	Principal         string `json:"principal"`
	Interest          string `json:"interest"`
	Fees              string `json:"fees"`
	Penalties         string `json:"penalties"`
	EarlyRepaymentFee string `json:"early_repayment_fee"`
	Total             string `json:"total"`
}

func newPayoffJSON(q *servicing.Quote, scale int32) payoffJSON {
	return payoffJSON{
		AsOf: date(q.AsOf), Principal: money(q.Principal, scale), Interest: money(q.Interest, scale),
		Fees: money(q.Fees, scale), Penalties: money(q.Penalties, scale),
		EarlyRepaymentFee: money(q.EarlyRepaymentFee, scale), Total: money(q.Total, scale),
	}
}

// payoff is GET …/loans/{ref}/payoff?as_of=YYYY-MM-DD (default today): what
// settles the loan on that day. who is the caller the route admits.
func (h *handlers) payoff(who func(*gin.Context) service.Caller) gin.HandlerFunc {
	return func(c *gin.Context) {
		ref, ok := h.loanRef(c)
		if !ok {
			return
		}
		var asOf *time.Time
		if s, given := c.GetQuery("as_of"); given {
			d, ok := parseDate(s)
			if !ok {
				h.respondError(c, failure.Invalid("as_of", "must be a date YYYY-MM-DD"))
				return
			}
			asOf = &d
		}
		ctx := c.Request.Context()
		p, err := h.svc.Payoff(ctx, who(c), ref, asOf)
		if err != nil {
			h.respondError(c, err)
			return
		}
		c.JSON(http.StatusOK, newPayoffJSON(p.Quote, h.svc.CurrencyDecimals(ctx, p.Loan.ProductCode)))
	}
}

func partnerCaller(c *gin.Context) service.Caller { return service.AsPartner(partnerOf(c)) }

func staffCaller(c *gin.Context) service.Caller { return service.AsStaff(staffOf(c)) }

// settle is POST /v1/loans/{ref}/payoff {"amount","paid_on"}. An amount
// that is not the quote is a 409 whose "quote" member is the payoff quote,
// as GET …/payoff shows it, for the partner to settle at.
func (h *handlers) settle(c *gin.Context, body *jsonObject) call {
	r := service.SettlementRequest{Amount: body.Decimal("amount"), PaidOn: body.Date("paid_on", false)}
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		r.Key = key
		out, err := h.svc.Settle(ctx, partnerOf(c), ref, r)
		if fe := failure.As(err); fe != nil {
			if q, ok := fe.Extensions["quote"].(servicing.Quote); ok {
				scale := int32(2)
				if loan, lerr := h.svc.Loan(ctx, partnerOf(c), ref); lerr == nil {
					scale = h.svc.CurrencyDecimals(ctx, loan.ProductCode)
				}
				fe.Extensions["quote"] = newPayoffJSON(&q, scale)
			}
		}
		return out, err
	}
}

// refund is POST /backoffice/v1/loans/{ref}/refunds {"amount","reason"}.
func (h *handlers) refund(c *gin.Context, body *jsonObject) call {
	return staffMoneyAction(c, service.MoneyAction{Amount: body.Decimal("amount"), Reason: body.String("reason")}, h.svc.Refund)
}

// staffMoneyAction runs a staff member's action on an amount under the
// request's key.
func staffMoneyAction(c *gin.Context, r service.MoneyAction, do func(context.Context, *models.Staff, int64, service.MoneyAction) (service.Outcome, error)) call {
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		r.Key = key
		return do(ctx, staffOf(c), ref, r)
	}
}

// waive is POST /backoffice/v1/loans/{ref}/waivers
// {"component","amount","reason"}.
func (h *handlers) waive(c *gin.Context, body *jsonObject) call {
	r := service.MoneyAction{Component: body.String("component"), Amount: body.Decimal("amount"), Reason: body.String("reason")}
	return staffMoneyAction(c, r, h.svc.Waive)
}

// writeOff is POST /backoffice/v1/loans/{ref}/write-off {"reason"}.
func (h *handlers) writeOff(c *gin.Context, body *jsonObject) call {
	reason := body.String("reason")
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		return h.svc.WriteOff(ctx, staffOf(c), ref, reason, key)
	}
}

// reschedule is POST /backoffice/v1/loans/{ref}/reschedule
// {"defer_periods","reason"}.
func (h *handlers) reschedule(c *gin.Context, body *jsonObject) call {
	periods, reason := body.Int("defer_periods"), body.String("reason")
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		return h.svc.Reschedule(ctx, staffOf(c), ref, periods, reason, key)
	}
}
