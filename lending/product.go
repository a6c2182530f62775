package lending

import (
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
	FourEyesThreshold      decimal.Decimal
	Ledger                 Ledger
	Lender                 Lender
	// Servicing is how the loan's money is serviced once paid out. Loans
	// submitted before products had it carry the zero Policy, whose
	// settings are the defaults the product then had implicitly.
	Servicing servicing.Policy
}

// Terms are the schedule terms of a consumer loan under p: monthly
// declining-balance annuity, first repayment one month after the pay-out,
// product fees as percentages of the principal (the disbursement fee
// financed).
func (p Product) Terms(amount decimal.Decimal, months int, disbursedOn time.Time) schedule.Terms {
	t := schedule.Terms{
		Principal:                  amount,
		DisbursementDate:           Day(disbursedOn),
		NumberOfRepayments:         months,
		RepaymentEvery:             1,
		RepaymentFrequency:         schedule.Months,
		InterestRate:               p.AnnualInterestRate,
		InterestRateFrequency:      schedule.Years,
		InterestMethod:             schedule.InterestDecliningBalance,
		Amortization:               schedule.AmortizationEqualInstallments,
		InterestCalculationPeriod:  schedule.InterestPeriodSameAsRepayment,
		AllowPartialPeriodInterest: false,
		DaysInYear:                 schedule.DaysActual,
		DaysInMonth:                schedule.DaysActual,
		Currency:                   schedule.Currency{Code: p.Currency, DecimalPlaces: p.CurrencyDecimals},
		RoundingMode:               schedule.RoundHalfEven,
		Engine:                     schedule.EngineCumulative,
	}
	if p.DisbursementFeePercent.IsPositive() {
		t.Fees = append(t.Fees, schedule.Fee{Type: schedule.FeeDisbursement, Calculation: schedule.FeePercentOfPrincipal, Amount: p.DisbursementFeePercent})
	}
	if p.MonthlyFeePercent.IsPositive() {
		t.Fees = append(t.Fees, schedule.Fee{Type: schedule.FeeMonthly, Calculation: schedule.FeePercentOfPrincipal, Amount: p.MonthlyFeePercent})
	}
	return t
}

// Quote computes the schedule a loan of amount over months would have if it
// were paid out on disbursedOn.
func (p Product) Quote(amount decimal.Decimal, months int, disbursedOn time.Time) (*schedule.Schedule, error) {
	return schedule.Generate(p.Terms(amount, months, disbursedOn))
}

// WithinRanges reports whether amount and months fall in the product's
// ranges. Outside them the workflow rejects the loan, and pricing such terms
// would only burn CPU.
func (p Product) WithinRanges(amount decimal.Decimal, months int) bool {
	return !amount.LessThan(p.MinAmount) && !amount.GreaterThan(p.MaxAmount) &&
		months >= p.MinTermMonths && months <= p.MaxTermMonths
}

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
