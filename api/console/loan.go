package console

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
	"github.com/loanflow/loanflow/servicing"
)

// loanView is the loan page.
type loanView struct {
	Detail       *service.LoanDetail
	Loan         *models.Loan
	Product      *models.Product // nil if the product is gone
	Scale        int32
	Age          int // applicant's age today
	NextStep     string
	ReasonCodes  []reasonView
	LastReason   *decisionReason
	Schedule     *service.RepaymentSchedule
	ScheduleNote string
	Documents    []documentView
	WorkflowURL  string
	WorkflowID   string

	// Four eyes and segregation of duties, as the workflow will apply them.
	Approvals       []string
	ApprovalsNeeded int
	FourEyes        bool
	IApproved       bool
	SoDBlocked      bool

	// Actions the signed-in staff member may take now.
	CanDecide    bool // approve / reject
	CanApprove   bool
	CanReview    bool // reject documents / authorize cash release
	CanAuthorize bool
	// AwaitsBooking: the loan's ledger does not hold it yet, so its cash
	// release cannot be authorized; CanRetry: a provider refused a step
	// that operations may send again.
	AwaitsBooking bool
	CanRetry      bool
	// Servicing after pay-out (servicing.go): today's payoff quote, nil
	// unless the loan can be settled now, and the actions open to the
	// staff member.
	PaidOut          bool
	Payoff           *servicing.Quote
	PayoffNote       string
	CanRefund        bool
	CanWaive         bool
	CanWriteOff      bool
	CanReschedule    bool
	WaiverComponents []servicing.Component

	// Seen is the status the forms were rendered for; Nonce de-duplicates a
	// double-submitted form.
	Seen  lending.Status
	Nonce string
	// Form state after a refused action: the values typed and the
	// messages, by form field.
	Form         map[string]string
	FieldErrors  map[string]string
	StaffIsUnder bool
	StaffIsOps   bool
}

type reasonView struct {
	Code string
	Text string
}

// decisionReason is the latest reason someone (or a timer) gave for turning
// the loan down or sending it back.
type decisionReason struct {
	models.AuditEvent
	Label string
}

// reasonActions are the audited actions whose reason explains the loan's
// situation, with how to say so.
var reasonActions = map[lending.Action]string{
	lending.ActionReject:          "Rejected",
	lending.ActionRejectDocuments: "Documents rejected",
	lending.ActionCancel:          "Cancelled",
	lending.ActionExpire:          "Expired",
}

type documentView struct {
	models.Document
	URL     string
	IsImage bool
	IsPDF   bool
}

// loanRef reads :ref; anything but a positive integer is no loan.
func loanRef(gc *gin.Context) (int64, bool) {
	ref, err := strconv.ParseInt(gc.Param("ref"), 10, 64)
	return ref, err == nil && ref > 0
}

func (c *console) notFound(gc *gin.Context, what string) {
	c.renderError(gc, http.StatusNotFound, "Not found", "There is no "+what+" here. It may have been mistyped.")
}

// loanPage shows a loan.
func (c *console) loanPage(gc *gin.Context) {
	ref, ok := loanRef(gc)
	if !ok {
		c.notFound(gc, "loan")
		return
	}
	c.showLoan(gc, ref, http.StatusOK, "", nil)
}

// showLoan renders the loan page, after an action possibly with its error
// (status, msg, the form's fields to refill).
func (c *console) showLoan(gc *gin.Context, ref int64, status int, msg string, refill *loanView) {
	v, err := c.loanView(gc, ref)
	if err != nil {
		if failure.KindOf(err) == failure.KindNotFound {
			c.notFound(gc, "loan")
			return
		}
		c.outage(gc, "read loan", err)
		return
	}
	if refill != nil {
		v.Form, v.FieldErrors = refill.Form, refill.FieldErrors
	}
	c.render(gc, status, "loan", fmt.Sprintf("Loan %d", ref), v, msg)
}

func (c *console) loanView(gc *gin.Context, ref int64) (*loanView, error) {
	ctx := gc.Request.Context()
	st := staffOf(gc)
	d, err := c.svc.LoanDetail(ctx, st, ref)
	if err != nil {
		return nil, err
	}
	l := d.Loan
	v := &loanView{
		Detail: d, Loan: l, Scale: c.svc.CurrencyDecimals(ctx, l.ProductCode),
		Age: age(l.Applicant.BirthDate, c.now()), NextStep: statusTexts[l.Status].next,
		Seen: l.Status, Nonce: randomToken(), Form: map[string]string{}, FieldErrors: map[string]string{},
		StaffIsUnder: st.Role == lending.RoleUnderwriter, StaffIsOps: st.Role == lending.RoleOperations,
	}
	prod, err := c.store.GetProduct(ctx, l.ProductCode)
	switch {
	case err == nil:
		v.Product = prod
	case !errors.Is(err, models.ErrNotFound):
		return nil, err
	}
	if l.Status == lending.StatusAutoRejected {
		for _, code := range strings.Split(l.ReasonCodes, ",") {
			if code = strings.TrimSpace(code); code != "" {
				v.ReasonCodes = append(v.ReasonCodes, reasonView{Code: code, Text: reasonTexts[code]})
			}
		}
	}
	for i := len(d.AuditTrail) - 1; i >= 0; i-- {
		ev := d.AuditTrail[i]
		if label, ok := reasonActions[ev.Action]; ok && ev.Reason != "" {
			v.LastReason = &decisionReason{AuditEvent: ev, Label: label}
			break
		}
	}
	sched, err := c.svc.Schedule(ctx, service.AsStaff(st), ref)
	switch {
	case err == nil:
		v.Schedule = sched
	case failure.KindOf(err) == failure.KindConflict:
		v.ScheduleNote = "This loan has no repayment schedule: it ended before pay-out."
	default:
		return nil, err
	}
	for _, doc := range d.Documents {
		v.Documents = append(v.Documents, documentView{
			Document: doc, URL: fmt.Sprintf("%s/loans/%d/documents/%d", Prefix, ref, doc.ID),
			IsImage: strings.HasPrefix(doc.ContentType, "image/"), IsPDF: doc.ContentType == "application/pdf",
		})
	}
	v.WorkflowID = fmt.Sprintf("loan-%d", ref)
	if base := strings.TrimRight(c.o.TemporalUIURL, "/"); base != "" {
		v.WorkflowURL = fmt.Sprintf("%s/namespaces/%s/workflows/%s", base, c.o.TemporalNamespace, v.WorkflowID)
	}

	v.Approvals = approvalsOf(l)
	v.ApprovalsNeeded = approvalsNeeded(l, prod)
	v.FourEyes = v.ApprovalsNeeded > 1
	v.IApproved = slices.Contains(v.Approvals, st.Username)
	v.CanDecide = st.Role == lending.RoleUnderwriter && l.Status == lending.StatusSubmitted
	v.CanApprove = v.CanDecide && !v.IApproved
	v.CanReview = st.Role == lending.RoleOperations && l.Status == lending.StatusDocumentsSubmitted
	v.SoDBlocked = v.CanReview && v.IApproved
	v.AwaitsBooking = l.AwaitsBooking()
	v.CanAuthorize = v.CanReview && !v.SoDBlocked && !v.AwaitsBooking
	v.CanRetry = st.Role == lending.RoleOperations && l.ProviderError != "" && !l.Status.Terminal()
	c.servicingFigures(ctx, st, v)
	return v, nil
}

// document serves one of a loan's files for inline viewing (or, with
// ?download=1, as an attachment).
func (c *console) document(gc *gin.Context) {
	ref, ok := loanRef(gc)
	id, err := strconv.ParseUint(gc.Param("id"), 10, 32)
	if !ok || err != nil || id == 0 {
		c.notFound(gc, "document")
		return
	}
	doc, err := c.svc.Document(gc.Request.Context(), staffOf(gc), ref, uint(id))
	if err != nil {
		if failure.KindOf(err) == failure.KindNotFound {
			c.notFound(gc, "document")
			return
		}
		c.outage(gc, "read document", err)
		return
	}
	disposition := "inline"
	if gc.Query("download") != "" {
		disposition = "attachment"
	}
	h := gc.Writer.Header()
	// The loan page frames documents; nothing else may.
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Security-Policy", "frame-ancestors 'self'")
	if strings.HasPrefix(doc.ContentType, "image/") {
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'")
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": doc.Filename}))
	// The stored type was sniffed at upload (JPEG, PNG or PDF); nosniff
	// (set for every console page) keeps the browser from second-guessing.
	gc.Data(http.StatusOK, doc.ContentType, doc.Data)
}
