package service

import (
	"context"
	"errors"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// loanByRef reads any loan (back office).
func (s *Service) loanByRef(ctx context.Context, ref int64) (*models.Loan, error) {
	return foundLoan(s.store.GetLoan(ctx, ref))
}

// foundLoan answers a loan read: one that is not there is not found, a
// failed read an outage.
func foundLoan(loan *models.Loan, err error) (*models.Loan, error) {
	switch {
	case errors.Is(err, models.ErrNotFound):
		return nil, errLoanNotFound
	case err != nil:
		return nil, failure.Unavailable(err)
	}
	return loan, nil
}

// partnerLoan reads one of the partner's loans; another partner's is not
// found, so refs reveal nothing.
func (s *Service) partnerLoan(ctx context.Context, p *models.Partner, ref int64) (*models.Loan, error) {
	return foundLoan(s.store.GetPartnerLoan(ctx, p.ID, ref))
}

// Caller is who reads a loan: a partner sees its own loans only, staff see
// every partner's.
type Caller struct {
	Partner *models.Partner
	Staff   *models.Staff
}

// AsPartner is the partner p as a Caller.
func AsPartner(p *models.Partner) Caller { return Caller{Partner: p} }

// AsStaff is the staff member st as a Caller.
func AsStaff(st *models.Staff) Caller { return Caller{Staff: st} }

// loanFor reads the loan ref as who may see it.
func (s *Service) loanFor(ctx context.Context, who Caller, ref int64) (*models.Loan, error) {
	if who.Partner != nil {
		return s.partnerLoan(ctx, who.Partner, ref)
	}
	if err := requireLoanReader(who.Staff); err != nil {
		return nil, err
	}
	return s.loanByRef(ctx, ref)
}

// Loan is one of the partner's loans.
func (s *Service) Loan(ctx context.Context, p *models.Partner, ref int64) (*models.Loan, error) {
	return s.partnerLoan(ctx, p, ref)
}

// Loans lists the partner's loans matching f (its PartnerID is overridden).
func (s *Service) Loans(ctx context.Context, p *models.Partner, f models.LoanFilter) ([]models.Loan, int64, error) {
	id := p.ID
	f.PartnerID = &id
	loans, total, err := s.store.ListLoans(ctx, f)
	if err != nil {
		return nil, 0, failure.Unavailable(err)
	}
	return loans, total, nil
}

// StaffLoans is the back-office queue: every partner's loans matching f,
// oldest first so the longest-waiting application is seen first.
func (s *Service) StaffLoans(ctx context.Context, st *models.Staff, f models.LoanFilter) ([]models.Loan, int64, error) {
	if err := requireLoanReader(st); err != nil {
		return nil, 0, err
	}
	f.OldestFirst = true
	loans, total, err := s.store.ListLoans(ctx, f)
	if err != nil {
		return nil, 0, failure.Unavailable(err)
	}
	return loans, total, nil
}

// PartnerID resolves a partner username for a back-office filter.
func (s *Service) PartnerID(ctx context.Context, username string) (uint, error) {
	p, err := s.store.PartnerByUsername(ctx, username)
	if errors.Is(err, models.ErrNotFound) {
		return 0, failure.Invalid("partner", "unknown partner %q", username)
	}
	if err != nil {
		return 0, failure.Unavailable(err)
	}
	return p.ID, nil
}

// PartnerNames maps partner IDs to usernames, for back-office listings.
func (s *Service) PartnerNames(ctx context.Context, ids []uint) (map[uint]string, error) {
	var partners []models.Partner
	if len(ids) > 0 {
		if err := s.store.DB.WithContext(ctx).Select("id", "username").Where("id IN ?", ids).Find(&partners).Error; err != nil {
			return nil, failure.Unavailable(err)
		}
	}
	names := make(map[uint]string, len(partners))
	for _, p := range partners {
		names[p.ID] = p.Username
	}
	return names, nil
}

// LoanDetail is everything the back office sees about a loan.
type LoanDetail struct {
	Loan         *models.Loan
	Partner      string
	Documents    []models.Document // metadata only: Data is empty
	AuditTrail   []models.AuditEvent
	Installments []models.Installment
	Transactions []models.Transaction
	// Findings are where the loan's ledger disagrees with our schedule.
	Findings []models.ReconciliationFinding
	// Held are repayments held as possible duplicates.
	Held []models.HeldRepayment
}

// LoanDetail reads a loan with its documents, audit trail, installments and
// transactions.
func (s *Service) LoanDetail(ctx context.Context, st *models.Staff, ref int64) (*LoanDetail, error) {
	if err := requireLoanReader(st); err != nil {
		return nil, err
	}
	loan, err := s.loanByRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	d := &LoanDetail{Loan: loan}
	names, err := s.PartnerNames(ctx, []uint{loan.PartnerID})
	if err != nil {
		return nil, err
	}
	d.Partner = names[loan.PartnerID]
	for _, read := range []func() error{
		func() (err error) { d.Documents, err = s.store.Documents(ctx, ref); return err },
		func() (err error) { d.AuditTrail, err = s.store.AuditTrail(ctx, ref); return err },
		func() (err error) { d.Installments, err = s.store.Installments(ctx, ref); return err },
		func() (err error) { d.Transactions, err = s.store.Transactions(ctx, ref); return err },
		func() (err error) { d.Findings, err = s.store.Findings(ctx, ref); return err },
		func() (err error) { d.Held, err = s.store.HeldRepayments(ctx, ref); return err },
	} {
		if err := read(); err != nil {
			return nil, failure.Unavailable(err)
		}
	}
	return d, nil
}

// Document is one stored file of a loan, with its content.
func (s *Service) Document(ctx context.Context, st *models.Staff, ref int64, id uint) (*models.Document, error) {
	if err := requireLoanReader(st); err != nil {
		return nil, err
	}
	doc, err := s.store.GetDocument(ctx, ref, id)
	if errors.Is(err, models.ErrNotFound) {
		return nil, errDocNotFound
	}
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	return doc, nil
}

// CashRelease says whether the partner may pay the loan out.
type CashRelease struct {
	Allowed bool
	// WaitingFor is WaitingForLedgerBooking while the loan's ledger does
	// not hold it yet: its cash release cannot be allowed before.
	WaitingFor string
	Loan       *models.Loan
}

// WaitingForLedgerBooking: a loan routed to a ledger is not paid out
// before the ledger books it.
const WaitingForLedgerBooking = "ledger_booking"

// CashRelease answers the Iute "allow cash release" check.
func (s *Service) CashRelease(ctx context.Context, p *models.Partner, ref int64) (*CashRelease, error) {
	loan, err := s.partnerLoan(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	cr := &CashRelease{Allowed: loan.Status == lending.StatusCashReleaseAuthorized, Loan: loan}
	if !cr.Allowed && loan.AwaitsBooking() {
		cr.WaitingFor = WaitingForLedgerBooking
	}
	return cr, nil
}

// RepaymentSchedule is a loan's installments with the totals.
type RepaymentSchedule struct {
	Loan         *models.Loan
	Installments []models.Installment
	// Projected: not paid out yet, so the rows are a quote as of today.
	Projected bool
	Total     decimal.Decimal
	Repaid    decimal.Decimal
	Remaining decimal.Decimal
}

// Schedule is the loan's repayment schedule: the fixed one once paid out,
// before that the one it would have if paid out today. A loan that ended
// before pay-out has none (a KindConflict error).
func (s *Service) Schedule(ctx context.Context, who Caller, ref int64) (*RepaymentSchedule, error) {
	loan, err := s.loanFor(ctx, who, ref)
	if err != nil {
		return nil, err
	}
	pl, err := s.installments(ctx, loan, nil)
	if err != nil {
		return nil, err
	}
	rs := &RepaymentSchedule{Loan: loan, Installments: pl.rows, Projected: pl.projected, Total: decimal.Zero, Repaid: decimal.Zero}
	// What was waived, written off or released by a settlement is no
	// longer owed: the total is what the borrower pays, the rest is owed.
	for _, r := range pl.rows {
		rs.Total = rs.Total.Add(r.Total.Sub(r.Waived).Sub(r.WrittenOff).Sub(r.Unearned))
		rs.Repaid = rs.Repaid.Add(r.Paid)
	}
	rs.Remaining = rs.Total.Sub(rs.Repaid)
	return rs, nil
}

// plan is a loan's installments and the APR they give.
type plan struct {
	rows      []models.Installment
	projected bool
	apr       decimal.Decimal
}

// installments are the stored rows once the loan is paid out, otherwise a
// quote as of today under the product the loan runs under (prod when the
// caller has it already; a later edit of the product never shows, as the
// pay-out will not follow it either); a loan that ended before pay-out has
// none (409).
func (s *Service) installments(ctx context.Context, loan *models.Loan, prod *lending.Product) (*plan, error) {
	rows, err := s.store.Installments(ctx, loan.Ref)
	if err != nil {
		return nil, failure.Unavailable(err)
	}
	if len(rows) > 0 {
		return &plan{rows: rows, apr: loan.APR}, nil
	}
	if !loan.Status.AwaitingPayout() {
		return nil, failure.Conflict("the loan is " + string(loan.Status) + " and has no repayment schedule")
	}
	if prod == nil {
		if prod, err = s.loanProduct(ctx, loan); err != nil {
			return nil, err
		}
	}
	// Outside the product's ranges the workflow rejects the loan; pricing
	// such terms would only burn CPU.
	errNoTerms := failure.Conflict("the loan's terms are outside its product's ranges and have no schedule")
	if !prod.WithinRanges(loan.Amount, loan.TermMonths) {
		return nil, errNoTerms
	}
	sched, err := prod.Quote(loan.Amount, loan.TermMonths, s.today())
	if err != nil {
		return nil, errNoTerms
	}
	rows = make([]models.Installment, len(sched.Periods))
	for i, per := range sched.Periods {
		rows[i] = models.Installment{
			LoanRef: loan.Ref, Number: per.Number, FromDate: per.FromDate, DueDate: per.DueDate,
			Principal: per.Principal, Interest: per.Interest, Fees: per.Fees, Total: per.Total, Paid: decimal.Zero,
		}
	}
	return &plan{rows: rows, projected: true, apr: sched.APR}, nil
}
