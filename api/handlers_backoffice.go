package api

import (
	"context"
	"mime"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

func (h *handlers) staffListLoans(c *gin.Context) {
	ctx := c.Request.Context()
	var errs failure.FieldErrors
	q := readListQuery(c, &errs)
	q.filter.ProductCode = c.Query("product")
	if v := c.Query("min_amount"); v != "" {
		if d, ok := parseAmount(v); ok {
			q.filter.MinAmount = &d
		} else {
			errs.Add("min_amount", "must be a decimal number such as 1000.00")
		}
	}
	if v := c.Query("max_amount"); v != "" {
		if d, ok := parseAmount(v); ok {
			q.filter.MaxAmount = &d
		} else {
			errs.Add("max_amount", "must be a decimal number such as 5000.00")
		}
	}
	id, named, ok := h.partnerQuery(c, &errs)
	if !ok {
		return
	}
	if named {
		q.filter.PartnerID = &id
	}
	if err := errs.Err(); err != nil {
		h.respondError(c, err)
		return
	}
	loans, total, err := h.svc.StaffLoans(ctx, staffOf(c), q.filter)
	if err != nil {
		h.respondError(c, err)
		return
	}
	h.staffLoanPage(c, loans, q.page, q.pageSize, total)
}

// partnerQuery reads the ?partner= filter: the partner's ID, named false
// when there is none; an unknown username is a field error added to errs.
// False when the look-up failed otherwise (answered here).
func (h *handlers) partnerQuery(c *gin.Context, errs *failure.FieldErrors) (id uint, named, ok bool) {
	v := c.Query("partner")
	if v == "" {
		return 0, false, true
	}
	id, err := h.svc.PartnerID(c.Request.Context(), v)
	switch fe := failure.As(err); {
	case fe != nil && fe.Kind == failure.KindInvalid:
		*errs = append(*errs, fe.Fields...)
		return 0, false, true
	case err != nil:
		h.respondError(c, err)
		return 0, false, false
	}
	return id, true, true
}

// partnerNames answers the usernames of the rows' partners, by partner ID.
func partnerNames[T any](ctx context.Context, svc *service.Service, rows []T, partnerID func(*T) uint) (map[uint]string, error) {
	ids := make([]uint, len(rows))
	for i := range rows {
		ids[i] = partnerID(&rows[i])
	}
	return svc.PartnerNames(ctx, ids)
}

// staffLoanPage answers one page of loans as the back office lists them.
func (h *handlers) staffLoanPage(c *gin.Context, loans []models.Loan, page, pageSize int, total int64) {
	ctx := c.Request.Context()
	names, err := partnerNames(ctx, h.svc, loans, func(l *models.Loan) uint { return l.PartnerID })
	if err != nil {
		h.respondError(c, err)
		return
	}
	items := make([]staffLoanJSON, len(loans))
	for i := range loans {
		items[i] = newStaffLoanJSON(&loans[i], names[loans[i].PartnerID], h.svc.CurrencyDecimals(ctx, loans[i].ProductCode))
	}
	c.JSON(http.StatusOK, pageJSON[staffLoanJSON]{Items: items, Page: page, PageSize: pageSize, Total: total})
}

// attention lists the loans a provider refused or keeps waiting for the
// operator, each with the provider's message.
func (h *handlers) attention(c *gin.Context) {
	var errs failure.FieldErrors
	page, pageSize := readPage(c, &errs)
	if err := errs.Err(); err != nil {
		h.respondError(c, err)
		return
	}
	loans, total, err := h.svc.Attention(c.Request.Context(), staffOf(c), pageSize, (page-1)*pageSize)
	if err != nil {
		h.respondError(c, err)
		return
	}
	h.staffLoanPage(c, loans, page, pageSize, total)
}

func (h *handlers) staffGetLoan(c *gin.Context) {
	d, ok := readLoan(h, c, func(ctx context.Context, ref int64) (*service.LoanDetail, error) {
		return h.svc.LoanDetail(ctx, staffOf(c), ref)
	})
	if !ok {
		return
	}
	c.JSON(http.StatusOK, newLoanDetailJSON(d, h.svc.CurrencyDecimals(c.Request.Context(), d.Loan.ProductCode)))
}

func (h *handlers) staffGetDocument(c *gin.Context) {
	ref, ok := h.loanRef(c)
	if !ok {
		return
	}
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil || id == 0 {
		h.respondError(c, failure.NotFound("no such document"))
		return
	}
	doc, err := h.svc.Document(c.Request.Context(), staffOf(c), ref, uint(id))
	if err != nil {
		h.respondError(c, err)
		return
	}
	// The stored type was sniffed at upload and is one of JPEG, PNG, PDF;
	// nosniff keeps a browser from second-guessing it.
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": doc.Filename}))
	c.Data(http.StatusOK, doc.ContentType, doc.Data)
}

// The back office's actions on a loan: decoders for loanAction.

func (h *handlers) approve(c *gin.Context, _ *jsonObject) call {
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		return h.svc.Approve(ctx, staffOf(c), ref, key)
	}
}

func (h *handlers) reject(c *gin.Context, body *jsonObject) call {
	reason := body.String("reason")
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		return h.svc.Reject(ctx, staffOf(c), ref, reason, key)
	}
}

func (h *handlers) rejectDocuments(c *gin.Context, body *jsonObject) call {
	reason := body.String("reason")
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		return h.svc.RejectDocuments(ctx, staffOf(c), ref, reason, key)
	}
}

func (h *handlers) authorizeCashRelease(c *gin.Context, _ *jsonObject) call {
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		return h.svc.AuthorizeCashRelease(ctx, staffOf(c), ref, key)
	}
}

// heldID reads the :id of a held repayment; anything but a positive integer
// is no held repayment.
func heldID(c *gin.Context) (uint, bool) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	return uint(id), err == nil && id > 0
}

func (h *handlers) bookHeld(c *gin.Context, _ *jsonObject) call {
	id, ok := heldID(c)
	return func(ctx context.Context, ref int64, _ string) (service.Outcome, error) {
		if !ok {
			return service.Outcome{}, failure.NotFound("no such held repayment")
		}
		return h.svc.BookHeldRepayment(ctx, staffOf(c), ref, id)
	}
}

func (h *handlers) dismissHeld(c *gin.Context, _ *jsonObject) call {
	id, ok := heldID(c)
	return func(ctx context.Context, ref int64, _ string) (service.Outcome, error) {
		if !ok {
			return service.Outcome{}, failure.NotFound("no such held repayment")
		}
		if err := h.svc.DismissHeldRepayment(ctx, staffOf(c), ref, id); err != nil {
			return service.Outcome{}, err
		}
		loan, err := h.svc.LoanDetail(ctx, staffOf(c), ref)
		if err != nil {
			return service.Outcome{}, err
		}
		return service.Outcome{Loan: loan.Loan}, nil
	}
}

func (h *handlers) retryProvider(c *gin.Context, _ *jsonObject) call {
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		return h.svc.RetryProvider(ctx, staffOf(c), ref, key)
	}
}

func (h *handlers) resolveLender(c *gin.Context, body *jsonObject) call {
	r := service.LenderResolution{ApplicationXID: body.String("application_xid"), PhoneVerified: body.OptionalBool("phone_verified")}
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		return h.svc.ResolveLender(ctx, staffOf(c), ref, r, key)
	}
}
