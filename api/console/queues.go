package console

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// queuePageSize is how many loans a queue page lists.
const queuePageSize = 50

// queueRow is one loan in a queue.
type queueRow struct {
	Loan      models.Loan
	Partner   string
	Scale     int32
	Age       time.Duration
	Waiting   time.Duration // documents queue: since the documents came in
	Approvals []string      // usernames
	Needed    int           // approvals the loan needs (four eyes: 2)
	// SLA, for applications waiting for a decision.
	HasSLA  bool
	SLALeft time.Duration // negative: overdue
	SLAUsed int           // percent of the SLA elapsed, 0..100
	SLATone string        // ok | warn | late
}

// queueFilter is the decision queue's filter form, as typed.
type queueFilter struct {
	Status                                           lending.Status // or "all"
	Partner, Product, MinAmount, MaxAmount, From, To string
}

// queueView is the decision queue or the documents queue.
type queueView struct {
	Filter queueFilter
	Errors map[string]string
	Rows   []queueRow
	pager
	Statuses []lending.Status
	Partners []models.Partner
	Products []models.Product
	SLA      time.Duration
}

// approvalsOf splits the loan's ApprovedBy ("staff:a,staff:b") into
// usernames.
func approvalsOf(l *models.Loan) []string {
	var out []string
	for _, a := range l.Approvers() {
		out = append(out, actorName(a))
	}
	return out
}

// approvalsNeeded is how many approvals the loan needs under its product's
// four-eyes rule; one when the product is gone.
func approvalsNeeded(l *models.Loan, p *models.Product) int {
	if p == nil {
		return 1
	}
	return p.Snapshot().ApprovalsNeeded(l.Amount)
}

// decisionQueue lists applications, oldest first; by default those waiting
// for a decision.
func (c *console) decisionQueue(gc *gin.Context) {
	q := gc.Request.URL.Query()
	f := queueFilter{
		Status: lending.Status(q.Get("status")), Partner: q.Get("partner"), Product: q.Get("product"),
		MinAmount: strings.TrimSpace(q.Get("min_amount")), MaxAmount: strings.TrimSpace(q.Get("max_amount")),
		From: q.Get("from"), To: q.Get("to"),
	}
	if !q.Has("status") {
		f.Status = lending.StatusSubmitted
	}
	c.queue(gc, "loans", f)
}

// documentQueue lists loans whose documents wait for review, oldest first.
func (c *console) documentQueue(gc *gin.Context) {
	c.queue(gc, "documents", queueFilter{Status: lending.StatusDocumentsSubmitted})
}

func (c *console) queue(gc *gin.Context, name string, f queueFilter) {
	ctx := gc.Request.Context()
	v := queueView{Filter: f, Errors: map[string]string{}, Statuses: lending.Statuses, SLA: c.o.ApprovalSLA}
	var err error
	if v.Partners, err = c.store.ListPartners(ctx); err != nil {
		c.outage(gc, "list partners", err)
		return
	}
	if v.Products, err = c.store.ListProducts(ctx); err != nil {
		c.outage(gc, "list products", err)
		return
	}
	filter := c.loanFilter(ctx, &f, v.Errors)
	if f.Product != "" && !hasProduct(v.Products, f.Product) {
		v.Errors["product"] = "Unknown product."
	}
	v.pager, filter.Offset = newPager(gc, queuePageSize)
	filter.Limit = queuePageSize

	title := "Decision queue"
	if name == "documents" {
		title = "Document review"
	} else if f.Status != lending.StatusSubmitted {
		title = "Loans"
	}
	if len(v.Errors) > 0 {
		c.render(gc, http.StatusBadRequest, name, title, v, "Some filters are not valid; fix them to see the list.")
		return
	}
	loans, total, err := c.svc.StaffLoans(ctx, staffOf(gc), filter)
	if err != nil {
		c.outage(gc, "list loans", err)
		return
	}
	products := map[string]*models.Product{}
	for i := range v.Products {
		products[v.Products[i].Code] = &v.Products[i]
	}
	partners := map[uint]string{}
	for _, p := range v.Partners {
		partners[p.ID] = p.Username
	}
	now := c.now()
	for _, l := range loans {
		row := queueRow{
			Loan: l, Partner: partners[l.PartnerID], Scale: c.svc.CurrencyDecimals(ctx, l.ProductCode),
			Age: now.Sub(l.CreatedAt), Waiting: now.Sub(l.UpdatedAt),
			Approvals: approvalsOf(&l), Needed: approvalsNeeded(&l, products[l.ProductCode]),
		}
		if l.Status == lending.StatusSubmitted {
			row.HasSLA = true
			row.SLALeft = l.CreatedAt.Add(c.o.ApprovalSLA).Sub(now)
			row.SLAUsed = int(min(100, max(0, 100*row.Age/c.o.ApprovalSLA)))
			switch {
			case row.SLALeft <= 0:
				row.SLATone = "late"
			case row.SLAUsed >= 75:
				row.SLATone = "warn"
			default:
				row.SLATone = "ok"
			}
		}
		v.Rows = append(v.Rows, row)
	}
	v.shown(gc, filter.Offset, len(v.Rows), total)
	c.render(gc, http.StatusOK, name, title, v, "")
}

// loanFilter turns the typed filter into a LoanFilter, noting each bad
// field in errs.
func (c *console) loanFilter(ctx context.Context, f *queueFilter, errs map[string]string) models.LoanFilter {
	var lf models.LoanFilter
	switch {
	case f.Status == "" || f.Status == "all":
		f.Status = "all"
	case f.Status.Valid():
		lf.Statuses = []lending.Status{f.Status}
	default:
		errs["status"] = "Unknown status."
	}
	if f.Partner != "" {
		id, err := c.svc.PartnerID(ctx, f.Partner)
		if err != nil {
			errs["partner"] = "Unknown partner."
		} else {
			lf.PartnerID = &id
		}
	}
	lf.ProductCode = f.Product
	amount := func(field, s string) *decimal.Decimal {
		if s == "" {
			return nil
		}
		d, err := decimal.NewFromString(strings.ReplaceAll(s, ",", ""))
		if err != nil || d.IsNegative() {
			errs[field] = "Enter an amount such as 5000 or 1250.50."
			return nil
		}
		return &d
	}
	lf.MinAmount = amount("min_amount", f.MinAmount)
	lf.MaxAmount = amount("max_amount", f.MaxAmount)
	if lf.MinAmount != nil && lf.MaxAmount != nil && lf.MinAmount.GreaterThan(*lf.MaxAmount) {
		errs["max_amount"] = "Must not be below the minimum."
	}
	day := func(field, s string) *time.Time {
		if s == "" {
			return nil
		}
		t, err := time.ParseInLocation(time.DateOnly, s, c.o.Location)
		if err != nil {
			errs[field] = "Enter a date as YYYY-MM-DD."
			return nil
		}
		return &t
	}
	lf.CreatedFrom = day("from", f.From)
	if to := day("to", f.To); to != nil {
		end := to.AddDate(0, 0, 1) // the "to" day is included
		lf.CreatedTo = &end
	}
	if lf.CreatedFrom != nil && lf.CreatedTo != nil && !lf.CreatedFrom.Before(*lf.CreatedTo) {
		errs["to"] = "Must not be before the start date."
	}
	return lf
}

// loanURL is a loan page's path.
func loanURL(ref int64) string { return fmt.Sprintf("%s/loans/%d", Prefix, ref) }

func hasProduct(ps []models.Product, code string) bool {
	for _, p := range ps {
		if p.Code == code {
			return true
		}
	}
	return false
}
