package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/schedulecmd"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// loanRef reads the :ref path parameter; anything but a positive integer is
// no loan at all (404).
func (h *handlers) loanRef(c *gin.Context) (int64, bool) {
	ref, err := strconv.ParseInt(c.Param("ref"), 10, 64)
	if err != nil || ref <= 0 {
		h.respondError(c, failure.NotFound("no such loan"))
		return 0, false
	}
	return ref, true
}

// respondLoan answers a loan at its currency's scale.
func (h *handlers) respondLoan(c *gin.Context, status int, l *models.Loan) {
	c.JSON(status, newLoanJSON(l, h.svc.CurrencyDecimals(c.Request.Context(), l.ProductCode)))
}

// quote answers a product quote ({"amount","term_months"[,"product_code"]})
// or, when the body carries "principal", a quote on full schedule terms in
// the `loanflow schedule` contract. Both answer the schedule result shape.
func (h *handlers) quote(c *gin.Context) {
	raw, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.respondError(c, errBodyTooLarge)
		} else {
			h.respondError(c, failure.Invalid("body", "could not be read"))
		}
		return
	}
	var errs failure.FieldErrors
	body := parseJSONObject(raw, &errs, false)
	if _, full := body.fields["principal"]; full {
		res, places, err := h.svc.QuoteTerms(raw)
		if err != nil {
			h.respondError(c, err)
			return
		}
		c.JSON(http.StatusOK, schedulecmd.NewResult(res, places))
		return
	}
	var q service.QuoteRequest
	q.ProductCode, q.Amount, q.TermMonths = readTerms(body)
	body.Done()
	q.DecodeErrors = errs
	res, err := h.svc.Quote(c.Request.Context(), partnerOf(c), q)
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.Data(http.StatusOK, jsonContentType, appendQuoteJSON(nil, res, q.Amount, q.TermMonths))
}

// readTerms reads the terms a partner quotes and applies for: the product (empty: the partner's
// default), the amount and the term in months.
func readTerms(body *jsonObject) (productCode string, amount decimal.Decimal, termMonths int) {
	return body.String("product_code"), body.Decimal("amount"), body.Int("term_months")
}

func (h *handlers) submitLoan(c *gin.Context) {
	var errs failure.FieldErrors
	body, err := readJSONObject(c, &errs, false)
	if err != nil {
		h.respondError(c, err)
		return
	}
	var app service.LoanApplication
	app.ProductCode, app.Amount, app.TermMonths = readTerms(body)
	app.SubmittedBy, app.Office = body.String("submitted_by"), body.String("office")
	ap := body.Object("applicant")
	app.Applicant = models.Applicant{
		IdentityNumber: ap.String("identity_number"),
		FirstName:      ap.String("first_name"),
		LastName:       ap.String("last_name"),
		Patronymic:     ap.String("patronymic"),
		DocumentSerial: ap.String("document_serial"),
		MobilePhone:    ap.String("mobile_phone"),
		HomePhone:      ap.String("home_phone"),
	}
	if bd := ap.Date("birth_date", false); bd != nil {
		app.Applicant.BirthDate = *bd
	}
	alt := ap.Object("alt_contact")
	app.Applicant.AltContactName = alt.String("name")
	app.Applicant.AltContactRel = alt.String("relation")
	app.Applicant.AltContactPhone = alt.String("phone")
	alt.Done()
	addr := ap.Object("address")
	app.Applicant.Town = addr.String("town")
	app.Applicant.Street = addr.String("street")
	app.Applicant.House = addr.String("house")
	app.Applicant.Apartment = addr.String("apartment")
	addr.Done()
	ap.Done()
	app.Julo = readJulo(body)
	body.Done()
	app.DecodeErrors = errs

	loan, created, err := h.svc.SubmitLoan(c.Request.Context(), partnerOf(c), c.GetHeader(idempotencyHeader), app)
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.Header("Location", fmt.Sprintf("/v1/loans/%d", loan.Ref))
	h.respondLoan(c, replayStatus(c, !created, http.StatusCreated), loan)
}

// listQuery reads the paging and filter parameters common to both lists.
type listQuery struct {
	filter   models.LoanFilter
	page     int
	pageSize int
}

func readListQuery(c *gin.Context, errs *failure.FieldErrors) listQuery {
	var q listQuery
	q.page, q.pageSize = readPage(c, errs)
	q.filter.Statuses = readEach(c, errs, "status", func(s string) (lending.Status, bool) {
		return lending.ParseStatus(strings.ToUpper(s))
	}, "unknown status %q")
	q.filter.CreatedFrom, q.filter.CreatedTo = readDays(c, errs)
	q.filter.Limit = q.pageSize
	q.filter.Offset = (q.page - 1) * q.pageSize
	return q
}

func (h *handlers) listLoans(c *gin.Context) {
	var errs failure.FieldErrors
	q := readListQuery(c, &errs)
	if err := errs.Err(); err != nil {
		h.respondError(c, err)
		return
	}
	loans, total, err := h.svc.Loans(c.Request.Context(), partnerOf(c), q.filter)
	if err != nil {
		h.respondError(c, err)
		return
	}
	items := make([]loanJSON, len(loans))
	for i := range loans {
		items[i] = newLoanJSON(&loans[i], h.svc.CurrencyDecimals(c.Request.Context(), loans[i].ProductCode))
	}
	c.JSON(http.StatusOK, pageJSON[loanJSON]{Items: items, Page: q.page, PageSize: q.pageSize, Total: total})
}

// readLoan answers what read makes of the loan the path names; a bad ref or a failed read is answered
// here, and ok is false.
func readLoan[T any](h *handlers, c *gin.Context, read func(ctx context.Context, ref int64) (T, error)) (out T, ok bool) {
	ref, ok := h.loanRef(c)
	if !ok {
		return out, false
	}
	out, err := read(c.Request.Context(), ref)
	if err != nil {
		h.respondError(c, err)
		return out, false
	}
	return out, true
}

func (h *handlers) getLoan(c *gin.Context) {
	loan, ok := readLoan(h, c, func(ctx context.Context, ref int64) (*models.Loan, error) { return h.svc.Loan(ctx, partnerOf(c), ref) })
	if !ok {
		return
	}
	h.respondLoan(c, http.StatusOK, loan)
}

func (h *handlers) agreement(c *gin.Context) {
	ref, ok := h.loanRef(c)
	if !ok {
		return
	}
	lang := c.DefaultQuery("lang", "eng")
	pdf, err := h.svc.Agreement(c.Request.Context(), partnerOf(c), ref, lang)
	if err != nil {
		h.respondError(c, err)
		return
	}
	// lang is one of the renderer's languages here, safe in a header.
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=agreement_%d_%s.pdf", ref, lang))
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// multipartOverhead is what a multipart body may carry besides the file:
// boundaries, part headers, the kind field.
const multipartOverhead = 1 << 20

func (h *handlers) uploadDocument(c *gin.Context) {
	ref, ok := h.loanRef(c)
	if !ok {
		return
	}
	up, err := readUpload(c)
	if err != nil {
		h.respondError(c, err)
		return
	}
	doc, out, err := h.svc.UploadDocument(c.Request.Context(), partnerOf(c), ref, up, c.GetHeader(idempotencyHeader))
	if err != nil {
		h.respondError(c, err)
		return
	}
	status := replayStatus(c, out.Replayed, http.StatusCreated)
	scale := h.svc.CurrencyDecimals(c.Request.Context(), out.Loan.ProductCode)
	c.JSON(status, uploadJSON{Document: newDocumentJSON(doc), Loan: newLoanJSON(out.Loan, scale)})
}

// readUpload streams a multipart/form-data body with the fields kind and
// file, holding at most one file of service.MaxDocumentSize in memory and never
// touching the disk.
func readUpload(c *gin.Context) (service.DocumentUpload, error) {
	var up service.DocumentUpload
	mediaType, params, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return up, failure.Invalid("body", "must be multipart/form-data with the fields kind and file")
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, service.MaxDocumentSize+multipartOverhead)
	mr := multipart.NewReader(body, params["boundary"])
	var errs failure.FieldErrors
	haveFile := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return up, multipartError(err)
		}
		switch part.FormName() {
		case "kind":
			b, err := io.ReadAll(io.LimitReader(part, 65))
			if err != nil {
				return up, multipartError(err)
			}
			up.Kind = lending.DocumentKind(strings.TrimSpace(string(b)))
		case "file":
			if haveFile {
				errs.Add("file", "only one file per request")
				continue
			}
			haveFile = true
			up.Filename = part.FileName()
			up.Data, err = io.ReadAll(io.LimitReader(part, service.MaxDocumentSize+1))
			if err != nil {
				return up, multipartError(err)
			}
			if len(up.Data) > service.MaxDocumentSize {
				return up, service.ErrFileTooLarge
			}
		default:
			// Other fields (a client's extras) are skipped, within the
			// body limit.
			if _, err := io.Copy(io.Discard, part); err != nil {
				return up, multipartError(err)
			}
		}
	}
	if !haveFile {
		errs.Add("file", "required")
	}
	return up, errs.Err()
}

func multipartError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return service.ErrFileTooLarge
	}
	return failure.Invalid("body", "is not a well-formed multipart body")
}

func (h *handlers) cashRelease(c *gin.Context) {
	cr, ok := readLoan(h, c, func(ctx context.Context, ref int64) (*service.CashRelease, error) {
		return h.svc.CashRelease(ctx, partnerOf(c), ref)
	})
	if !ok {
		return
	}
	c.JSON(http.StatusOK, cashReleaseJSON{Allowed: cr.Allowed, Status: cr.Loan.Status, WaitingFor: cr.WaitingFor})
}

// The partner's actions on a loan: decoders for loanAction.

func (h *handlers) cancel(c *gin.Context, body *jsonObject) call {
	reason := body.String("reason")
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		return h.svc.Cancel(ctx, partnerOf(c), ref, reason, key)
	}
}

func (h *handlers) confirmDisbursement(c *gin.Context, body *jsonObject) call {
	day := body.Date("disbursed_on", false)
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		return h.svc.ConfirmDisbursement(ctx, partnerOf(c), ref, day, key)
	}
}

func (h *handlers) repay(c *gin.Context, body *jsonObject) call {
	r := service.RepaymentRequest{Amount: body.Decimal("amount"), Strategy: body.String("prepayment_strategy")}
	if d := body.Date("paid_on", true); d != nil {
		r.PaidOn = *d
	}
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		r.Key = key
		return h.svc.Repay(ctx, partnerOf(c), ref, r)
	}
}

// submitOTP is POST /v1/loans/{ref}/otp {"otp": "123456"}: the code JULO
// texted the customer of a JULO loan. It answers the loan; a wrong code is a
// 400 whose detail says how many attempts are left, an OTP at the wrong
// moment (not texted yet, already verified, not a JULO loan) a 409.
func (h *handlers) submitOTP(c *gin.Context, body *jsonObject) call {
	code := body.String("otp")
	return func(ctx context.Context, ref int64, key string) (service.Outcome, error) {
		return h.svc.SubmitOTP(ctx, partnerOf(c), ref, code, key)
	}
}

func (h *handlers) schedule(c *gin.Context) {
	ref, ok := h.loanRef(c)
	if !ok {
		return
	}
	s, err := h.svc.Schedule(c.Request.Context(), service.AsPartner(partnerOf(c)), ref)
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, newScheduleJSON(s, h.svc.CurrencyDecimals(c.Request.Context(), s.Loan.ProductCode)))
}
