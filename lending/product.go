package lending

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
	"github.com/loanflow/loanflow/servicing"
)

// Product is the snapshot of a loan product a loan was submitted under. It
// is copied into the loan's workflow input so that a later product edit
// never changes a running loan. It is the one place where product settings
// meet the schedule engine: quotes, agreements and the pay-out all price a
// loan through Terms.
type Product struct {
	Code                   string
	Currency               string
	CurrencyDecimals       int32
	MinAmount              decimal.Decimal
	MaxAmount              decimal.Decimal
	MinTermMonths          int
	MaxTermMonths          int
	AnnualInterestRate     decimal.Decimal
	DisbursementFeePercent decimal.Decimal
	MonthlyFeePercent      decimal.Decimal
	MinAge                 int
	MaxAgeAtMaturity       int
	MaxOpenLoans           int
	CashReleaseWindowDays  int
	// ApprovalSLAHours is how long an application may wait for a decision
	// before it expires; zero: the deployment's LOANFLOW_APPROVAL_TTL.
	ApprovalSLAHours  int
	FourEyesThreshold decimal.Decimal
	Ledger            Ledger
	Lender            Lender
	// Servicing is how the loan's money is serviced once paid out. Loans
	// submitted before products had it carry the zero Policy, whose
	// settings are the defaults the product then had implicitly.
	Servicing servicing.Policy
	// Schedule is how the loan's schedule is computed. Loans submitted
	// before products had it carry the zero Schedule, which computes the
	// schedule they were quoted.
	Schedule Schedule
}

// Schedule is a product's schedule settings, under schedule.Terms' names
// and with its values. The zero value of each is the engine's default
// (schedule.Terms.Normalize), which is exactly the monthly declining-balance
// annuity every product had before products carried these settings: a
// running loan's workflow input recorded without them decodes to the zero
// Schedule and keeps its schedule on replay.
//
// Installments are always months apart: partners quote a term in months,
// and the term is a whole number of repayment periods.
type Schedule struct {
	InterestMethod             string
	Amortization               string
	InterestCalculationPeriod  string
	AllowPartialPeriodInterest bool
	DaysInYear                 string
	DaysInMonth                string
	// RepaymentEvery is the months between installments; zero means 1.
	RepaymentEvery         int
	GraceOnPrincipal       int
	GraceOnInterestPayment int
	GraceOnInterestCharged int
	RoundingMode           string
	// InstallmentInMultiplesOf rounds installments up to a multiple of it.
	InstallmentInMultiplesOf int64
	// CurrencyInMultiplesOf is the currency's Currency.InMultiplesOf.
	CurrencyInMultiplesOf int64
	Engine                string
}

// every is the months between installments.
func (s Schedule) every() int { return max(s.RepaymentEvery, 1) }

// terms writes the settings into t.
func (s Schedule) terms(t schedule.Terms) schedule.Terms {
	t.RepaymentEvery = s.RepaymentEvery
	t.RepaymentFrequency = schedule.Months
	t.InterestMethod = s.InterestMethod
	t.Amortization = s.Amortization
	t.InterestCalculationPeriod = s.InterestCalculationPeriod
	t.AllowPartialPeriodInterest = s.AllowPartialPeriodInterest
	t.DaysInYear = s.DaysInYear
	t.DaysInMonth = s.DaysInMonth
	t.GraceOnPrincipal = s.GraceOnPrincipal
	t.GraceOnInterestPayment = s.GraceOnInterestPayment
	t.GraceOnInterestCharged = s.GraceOnInterestCharged
	t.RoundingMode = s.RoundingMode
	t.InstallmentInMultiplesOf = s.InstallmentInMultiplesOf
	t.Currency.InMultiplesOf = s.CurrencyInMultiplesOf
	t.Engine = s.Engine
	return t
}

// Normalized is s with every zero setting spelled out as the engine's
// default, as a product shows and stores it.
func (s Schedule) Normalized() Schedule {
	n := s.terms(schedule.Terms{Currency: schedule.Currency{Code: "XXX"}}).Normalize()
	return Schedule{
		InterestMethod: n.InterestMethod, Amortization: n.Amortization,
		InterestCalculationPeriod: n.InterestCalculationPeriod, AllowPartialPeriodInterest: n.AllowPartialPeriodInterest,
		DaysInYear: n.DaysInYear, DaysInMonth: n.DaysInMonth, RepaymentEvery: n.RepaymentEvery,
		GraceOnPrincipal: n.GraceOnPrincipal, GraceOnInterestPayment: n.GraceOnInterestPayment,
		GraceOnInterestCharged: n.GraceOnInterestCharged, RoundingMode: n.RoundingMode,
		InstallmentInMultiplesOf: n.InstallmentInMultiplesOf, CurrencyInMultiplesOf: n.Currency.InMultiplesOf,
		Engine: n.Engine,
	}
}

// Terms are the schedule terms of a consumer loan of amount over months
// under p: the product's schedule settings (see Schedule), installments
// RepaymentEvery months apart with the first one period after the pay-out,
// a yearly rate, product fees as percentages of the principal (the
// disbursement fee financed). A term that is not a whole number of periods
// is outside the product (see TermAllowed).
func (p Product) Terms(amount decimal.Decimal, months int, disbursedOn time.Time) schedule.Terms {
	t := p.Schedule.terms(schedule.Terms{
		Principal:             amount,
		DisbursementDate:      Day(disbursedOn),
		NumberOfRepayments:    months / p.Schedule.every(),
		InterestRate:          p.AnnualInterestRate,
		InterestRateFrequency: schedule.Years,
		Currency:              schedule.Currency{Code: p.Currency, DecimalPlaces: p.CurrencyDecimals},
	})
	if p.DisbursementFeePercent.IsPositive() {
		t.Fees = append(t.Fees, schedule.Fee{Type: schedule.FeeDisbursement, Calculation: schedule.FeePercentOfPrincipal, Amount: p.DisbursementFeePercent})
	}
	if p.MonthlyFeePercent.IsPositive() {
		t.Fees = append(t.Fees, schedule.Fee{Type: schedule.FeeMonthly, Calculation: schedule.FeePercentOfPrincipal, Amount: p.MonthlyFeePercent})
	}
	// Spelled out, so servicing reads the day count and rounding it accrues
	// with from the terms as it always has.
	return t.Normalize()
}

// Quote computes the schedule a loan of amount over months would have if it
// were paid out on disbursedOn.
func (p Product) Quote(amount decimal.Decimal, months int, disbursedOn time.Time) (*schedule.Schedule, error) {
	if months%p.Schedule.every() != 0 {
		return nil, fmt.Errorf("lending: a term of %d months is not a whole number of %d-month periods", months, p.Schedule.every())
	}
	return schedule.Generate(p.Terms(amount, months, disbursedOn))
}

// WithinRanges reports whether amount and months fall in the product's
// ranges. Outside them the workflow rejects the loan, and pricing such terms
// would only burn CPU.
func (p Product) WithinRanges(amount decimal.Decimal, months int) bool {
	return !amount.LessThan(p.MinAmount) && !amount.GreaterThan(p.MaxAmount) && p.TermAllowed(months)
}

// TermAllowed reports whether a loan may run months: within the product's
// term range and a whole number of repayment periods.
func (p Product) TermAllowed(months int) bool {
	return months >= p.MinTermMonths && months <= p.MaxTermMonths && months%p.Schedule.every() == 0
}

// RepaymentEvery is the months between the product's installments.
func (p Product) RepaymentEvery() int { return p.Schedule.every() }

// ApprovalsNeeded is the four-eyes rule: two different underwriters must
// approve a loan above the product's threshold, one otherwise.
func (p Product) ApprovalsNeeded(amount decimal.Decimal) int {
	if p.FourEyesThreshold.IsPositive() && amount.GreaterThan(p.FourEyesThreshold) {
		return 2
	}
	return 1
}

// InstallmentAmount is the regular installment of an annuity: the most
// common period total. The first period carries a financed disbursement fee
// and the last the rounding residue, so neither is representative alone.
func (p Product) InstallmentAmount(s *schedule.Schedule) decimal.Decimal {
	periods := s.Periods
	if p.DisbursementFeePercent.IsPositive() && len(periods) > 1 {
		periods = periods[1:]
	}
	best, bestCount := decimal.Zero, 0
	for i, per := range periods {
		n := 0
		for _, q := range periods {
			if q.Total.Equal(per.Total) {
				n++
			}
		}
		if i == 0 || n > bestCount {
			best, bestCount = per.Total, n
		}
	}
	return best
}

// Day truncates t to its calendar day in UTC: loan dates carry no time.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
