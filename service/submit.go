package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// LoanApplication is a partner's loan request. Field errors name the /v1
// JSON fields.
type LoanApplication struct {
	ProductCode string // empty: the partner's default product
	Amount      decimal.Decimal
	TermMonths  int
	SubmittedBy string
	Office      string
	Applicant   models.Applicant
	// Julo is what JULO needs besides, for a product it funds.
	Julo JuloData
	// DecodeErrors are the fields the transport could not decode; they are
	// reported together with the Service's own checks.
	DecodeErrors failure.FieldErrors
}

// validate flags missing and malformed values. Business rules (age, ranges,
// phone and identity formats, open loans) are the workflow's: it rejects
// with reason codes that the partner can act on.
func (a *LoanApplication) validate(errs *failure.FieldErrors) {
	text := []struct {
		field, value string
		required     bool
	}{
		{"submitted_by", a.SubmittedBy, true},
		{"office", a.Office, true},
		{"applicant.identity_number", a.Applicant.IdentityNumber, true},
		{"applicant.first_name", a.Applicant.FirstName, true},
		{"applicant.last_name", a.Applicant.LastName, true},
		{"applicant.patronymic", a.Applicant.Patronymic, true},
		{"applicant.document_serial", a.Applicant.DocumentSerial, true},
		{"applicant.mobile_phone", a.Applicant.MobilePhone, true},
		{"applicant.home_phone", a.Applicant.HomePhone, true},
		{"applicant.alt_contact.name", a.Applicant.AltContactName, true},
		{"applicant.alt_contact.relation", a.Applicant.AltContactRel, true},
		{"applicant.alt_contact.phone", a.Applicant.AltContactPhone, true},
		{"applicant.address.town", a.Applicant.Town, true},
		{"applicant.address.street", a.Applicant.Street, true},
		{"applicant.address.house", a.Applicant.House, true},
		{"applicant.address.apartment", a.Applicant.Apartment, false},
	}
	for _, t := range text {
		if errs.Has(t.field) {
			continue
		}
		switch msg := textProblem(t.value, t.required, maxTextLen); {
		case msg != "":
			errs.Add(t.field, "%s", msg)
		case strings.ContainsFunc(t.value, func(r rune) bool { return r > 0xFFFF }):
			// The agreement PDF's fonts cannot draw these (emoji and the like).
			errs.Add(t.field, "must not contain characters outside the Basic Multilingual Plane")
		}
	}
	if !errs.Has("applicant.birth_date") && a.Applicant.BirthDate.IsZero() {
		errs.Add("applicant.birth_date", "required")
	}
	if !errs.Has("term_months") && a.TermMonths <= 0 {
		errs.Add("term_months", "must be a positive integer")
	}
}

// requestHash is the SHA-256 of the application's canonical form, so the
// same request sent twice hashes the same however its JSON was spelled.
func (a *LoanApplication) requestHash() string {
	canon := struct {
		ProductCode string `json:"product_code"`
		Amount      string `json:"amount"`
		TermMonths  int    `json:"term_months"`
		SubmittedBy string `json:"submitted_by"`
		Office      string `json:"office"`
		Applicant   models.Applicant
		BirthDate   string `json:"birth_date"`
		// Absent without JULO data, so other loans hash as they always did.
		Julo *lending.JuloApplicant `json:"julo,omitempty"`
	}{a.ProductCode, a.Amount.String(), a.TermMonths, a.SubmittedBy, a.Office, a.Applicant, a.Applicant.BirthDate.Format(time.DateOnly), nil}
	if a.Julo.Present {
		canon.Julo = &a.Julo.Applicant
	}
	b, _ := json.Marshal(canon) // plain strings and ints cannot fail to marshal
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// SubmitLoan records a loan application and starts its workflow. The
// partner's idempotency key makes it safe to retry: the same key and request
// answer the loan first created (created is false) and restart its workflow
// in case a crash came between the insert and the start.
func (s *Service) SubmitLoan(ctx context.Context, p *models.Partner, key string, app LoanApplication) (loan *models.Loan, created bool, err error) {
	errs := append(failure.FieldErrors(nil), app.DecodeErrors...)
	checkKey(key, &errs)
	prod, err := s.product(ctx, p, app.ProductCode, &errs)
	if err != nil {
		return nil, false, err
	}
	if prod != nil && !prod.Lender.Valid() {
		errs.Add("product_code", "product %q is funded by %s, which loanflow cannot originate loans with yet", prod.Code, prod.Lender)
	}
	checkMoney("amount", app.Amount, prod, &errs)
	app.validate(&errs)
	switch {
	case prod != nil && prod.Lender == lending.LenderJulo:
		app.Julo.validate(&errs)
	case app.Julo.Present:
		errs.Add("julo", "only for a product funded by JULO")
	}
	if err := errs.Err(); err != nil {
		return nil, false, err
	}
	hash := app.requestHash()
	var lenderData string
	if app.Julo.Present {
		b, err := json.Marshal(app.Julo.Applicant)
		if err != nil {
			return nil, false, failure.Unavailable(err)
		}
		lenderData = string(b)
	}

	if existing, err := s.replay(ctx, p, key, hash); existing != nil || err != nil {
		return existing, false, err
	}

	ref, err := s.store.NextLoanRef(ctx)
	if err != nil {
		return nil, false, failure.Unavailable(err)
	}
	now := s.now().UTC()
	loan = &models.Loan{
		Ref:                ref,
		PartnerID:          p.ID,
		ProductCode:        prod.Code,
		Status:             lending.StatusSubmitted,
		IdempotencyKey:     key,
		RequestHash:        hash,
		Currency:           prod.Currency,
		Amount:             app.Amount,
		TermMonths:         app.TermMonths,
		AnnualInterestRate: prod.AnnualInterestRate,
		Repaid:             decimal.Zero,
		Applicant:          app.Applicant,
		SubmittedBy:        app.SubmittedBy,
		Office:             app.Office,
		Ledger:             prod.Ledger,
		Lender:             prod.Lender,
		LenderData:         lenderData,
		CreatedAt:          now,
		UpdatedAt:          now,
	}
	s.priceAtSubmission(loan, prod)
	if err := s.store.CreateLoan(ctx, loan); err != nil {
		if errors.Is(err, models.ErrConflict) {
			// A concurrent request with the same key won the insert.
			if existing, err := s.replay(ctx, p, key, hash); existing != nil || err != nil {
				return existing, false, err
			}
		}
		return nil, false, failure.Unavailable(err)
	}
	if err := s.engine.StartLoan(ctx, s.loanInput(p, loan, prod, now)); err != nil {
		return nil, false, err
	}
	return loan, true, nil
}

// replay answers a retried submission: nil when the key is new.
func (s *Service) replay(ctx context.Context, p *models.Partner, key, hash string) (*models.Loan, error) {
	existing, err := s.store.FindLoanByIdempotencyKey(ctx, p.ID, key)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	if existing.RequestHash != hash {
		return nil, errKeyReused
	}
	prod, err := s.store.GetProduct(ctx, existing.ProductCode)
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	if err := s.engine.StartLoan(ctx, s.loanInput(p, existing, prod, existing.CreatedAt)); err != nil {
		return nil, err
	}
	return existing, nil
}

// priceAtSubmission fills in what the loan would cost if paid out today, for
// the partner to show the applicant. It is left empty outside the product's
// ranges: the workflow rejects such a loan, and pricing absurd terms would
// only burn CPU. The pay-out fixes the real schedule.
func (s *Service) priceAtSubmission(loan *models.Loan, prod *models.Product) {
	if !prod.Snapshot().WithinRanges(loan.Amount, loan.TermMonths) {
		return
	}
	sched, err := prod.Snapshot().Quote(loan.Amount, loan.TermMonths, loan.CreatedAt)
	if err != nil {
		s.log.Warn("pricing at submission failed", "product", prod.Code, "error", err)
		return
	}
	loan.InstallmentAmount = prod.Snapshot().InstallmentAmount(sched)
	loan.TotalRepayable = sched.TotalRepayment
	loan.APR = sched.APR
	first := sched.Periods[0].DueDate
	loan.FirstRepaymentDate = &first
}

func (s *Service) loanInput(p *models.Partner, loan *models.Loan, prod *models.Product, submittedAt time.Time) *workflows.LoanInput {
	return &workflows.LoanInput{
		Ref:        loan.Ref,
		PartnerID:  p.ID,
		Partner:    p.Username,
		Product:    prod.Snapshot(),
		Amount:     loan.Amount,
		TermMonths: loan.TermMonths,
		Applicant: workflows.ApplicantFacts{
			IdentityNumber:  loan.Applicant.IdentityNumber,
			BirthDate:       loan.Applicant.BirthDate,
			MobilePhone:     loan.Applicant.MobilePhone,
			HomePhone:       loan.Applicant.HomePhone,
			AltContactPhone: loan.Applicant.AltContactPhone,
		},
		SubmittedAt: submittedAt,
		ApprovalTTL: s.approvalDeadline(prod),
	}
}

// approvalDeadline is how long an application of prod may wait for a
// decision: the product's SLA, or the deployment's when it sets none.
func (s *Service) approvalDeadline(prod *models.Product) time.Duration {
	if prod.ApprovalSLAHours > 0 {
		return time.Duration(prod.ApprovalSLAHours) * time.Hour
	}
	return s.approvalTTL
}
