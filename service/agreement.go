package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/agreement"
	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/schedule"
)

// lenderName is the lender printed on agreements.
const lenderName = "loanflow"

// Agreement renders the loan agreement as a PDF in lang (ISO 639-2, e.g.
// "eng"). Once the loan is paid out it prints the fixed schedule; before,
// the schedule the loan would have if paid out today.
func (s *Service) Agreement(ctx context.Context, p *models.Partner, ref int64, lang string) ([]byte, error) {
	if !slices.Contains(agreement.Languages(), lang) {
		return nil, failure.Invalid("lang", "must be one of %s", strings.Join(agreement.Languages(), ", "))
	}
	loan, err := s.partnerLoan(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	if !loan.Status.HasAgreement() {
		return nil, failure.Conflict("the loan is " + string(loan.Status) + "; an agreement exists from APPROVED onwards")
	}
	prod, err := s.loanProduct(ctx, loan)
	if err != nil {
		return nil, err
	}
	pl, err := s.installments(ctx, loan, prod)
	if err != nil {
		return nil, err
	}
	a := buildAgreement(p, loan, prod, pl, s.today())
	pdf, err := agreement.Render(lang, a)
	if errors.Is(err, agreement.ErrUnknownLanguage) {
		return nil, failure.Invalid("lang", "must be one of %s", strings.Join(agreement.Languages(), ", "))
	}
	if err != nil {
		// Inputs were validated at submission; an inconsistent agreement is
		// a bug upstream, never something the partner can fix.
		return nil, failure.Unavailable(err)
	}
	return pdf, nil
}

// loanProduct is the product snapshot the loan runs under, so the agreement
// and the projected schedule state the terms the loan is actually charged,
// not a later edit of the product (a loan from before products had servicing
// terms has the zero policy: no early-repayment fee, no penalties). A
// workflow whose history is gone (a closed loan past retention) leaves
// only the product as it now is.
func (s *Service) loanProduct(ctx context.Context, loan *models.Loan) (*lending.Product, error) {
	prod, err := s.engine.Product(ctx, loan.Ref)
	if err == nil || failure.KindOf(err) != failure.KindNotFound {
		return prod, err
	}
	stored, err := s.store.GetProduct(ctx, loan.ProductCode)
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	snap := stored.Snapshot()
	return &snap, nil
}

func buildAgreement(p *models.Partner, loan *models.Loan, prod *lending.Product, pl *plan, today time.Time) agreement.Agreement {
	ap, rows := loan.Applicant, pl.rows
	a := agreement.Agreement{
		Ref:                loan.Ref,
		Date:               today,
		Lender:             lenderName,
		Partner:            p.Name,
		Office:             loan.Office,
		BorrowerName:       ap.FullName(),
		IdentityNumber:     ap.IdentityNumber,
		BirthDate:          ap.BirthDate,
		Address:            address(ap),
		Phone:              ap.MobilePhone,
		Currency:           loan.Currency,
		Amount:             loan.Amount,
		TermMonths:         loan.TermMonths,
		AnnualInterestRate: loan.AnnualInterestRate,
		TotalInterest:      decimal.Zero,
		TotalFees:          decimal.Zero,
		TotalRepayable:     decimal.Zero,
		FirstRepaymentDate: rows[0].DueDate,
		Installments:       make([]agreement.Installment, len(rows)),
		Servicing:          prod.Servicing,
		Schedule:           agreementSchedule(prod.Schedule),
	}
	if loan.DisbursedOn != nil {
		a.Date = *loan.DisbursedOn
	}
	for i, r := range rows {
		a.Installments[i] = agreement.Installment{Number: r.Number, DueDate: r.DueDate, Principal: r.Principal, Interest: r.Interest, Fees: r.Fees, Total: r.Total}
		a.TotalInterest = a.TotalInterest.Add(r.Interest)
		a.TotalFees = a.TotalFees.Add(r.Fees)
		a.TotalRepayable = a.TotalRepayable.Add(r.Total)
	}
	// The schedule puts the monthly fee (a percentage of the principal at
	// the currency scale) on every installment and the financed
	// disbursement fee on the first; what is left of the fees is the latter.
	a.MonthlyFee = loan.Amount.Mul(prod.MonthlyFeePercent).Div(decimal.NewFromInt(100)).RoundBank(prod.CurrencyDecimals)
	a.DisbursementFee = decimal.Max(a.TotalFees.Sub(a.MonthlyFee.Mul(decimal.NewFromInt(int64(len(rows))))), decimal.Zero)
	a.APR = pl.apr
	return a
}

// agreementSchedule is what the clauses state of the product's schedule;
// a loan from before products had one has the zero Schedule, the monthly
// declining-balance annuity it was quoted.
func agreementSchedule(s lending.Schedule) agreement.Schedule {
	n := s.Normalized()
	if n.Engine == schedule.EngineProgressive {
		// The progressive engine always computes interest by the day.
		n.InterestCalculationPeriod = schedule.InterestPeriodDaily
	}
	return agreement.Schedule{
		RepaymentEvery: n.RepaymentEvery, InterestMethod: n.InterestMethod, Amortization: n.Amortization,
		InterestCalculation: n.InterestCalculationPeriod, GraceOnPrincipal: n.GraceOnPrincipal,
		GraceOnInterestPayment: n.GraceOnInterestPayment, GraceOnInterestCharged: n.GraceOnInterestCharged,
	}
}

// address prints the applicant's address on one line.
func address(a models.Applicant) string {
	line := strings.TrimSpace(a.Street + " " + a.House)
	if a.Apartment != "" {
		line += ", ap. " + a.Apartment
	}
	return line + ", " + a.Town
}
