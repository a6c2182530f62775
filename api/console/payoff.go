package console

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
	"github.com/loanflow/loanflow/servicing"
)

// payoffView is the printable payoff quote a borrower is handed.
type payoffView struct {
	Loan    *models.Loan
	Quote   *servicing.Quote
	Scale   int32
	Printed time.Time
}

// payoffPage shows what settles the loan on ?as_of= (today when absent),
// as the service quotes it to the JSON API, on a page made for printing.
func (c *console) payoffPage(gc *gin.Context) {
	ref, ok := loanRef(gc)
	if !ok {
		c.notFound(gc, "loan")
		return
	}
	var asOf *time.Time
	if s, given := gc.GetQuery("as_of"); given {
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
		if err != nil {
			c.payoffRefused(gc, failure.Invalid("as_of", "must be a date YYYY-MM-DD"))
			return
		}
		asOf = &d
	}
	ctx := gc.Request.Context()
	p, err := c.svc.Payoff(ctx, service.AsStaff(staffOf(gc)), ref, asOf)
	if err != nil {
		c.payoffRefused(gc, err)
		return
	}
	v := payoffView{Loan: p.Loan, Quote: p.Quote, Scale: c.svc.CurrencyDecimals(ctx, p.Loan.ProductCode), Printed: c.now()}
	c.render(gc, http.StatusOK, "payoff", "Payoff quote for loan "+gc.Param("ref"), v, "")
}

// payoffRefused shows why there is no quote: a bad as_of names the field.
func (c *console) payoffRefused(gc *gin.Context, err error) {
	switch failure.KindOf(err) {
	case failure.KindInvalid:
		var parts []string
		if fe := failure.As(err); fe != nil {
			for _, f := range fe.Fields {
				parts = append(parts, f.Field+": "+sentence(f.Message))
			}
		}
		c.renderError(gc, http.StatusBadRequest, "No payoff quote for that date", strings.Join(parts, " "))
	case failure.KindConflict:
		c.renderError(gc, http.StatusConflict, "No payoff quote", "This loan cannot be paid off: "+failure.As(err).Detail+".")
	case failure.KindNotFound:
		c.notFound(gc, "loan")
	case failure.KindForbidden:
		c.renderError(gc, http.StatusForbidden, "Not for your role", failure.As(err).Detail+".")
	default:
		c.outage(gc, "payoff quote", err)
	}
}
