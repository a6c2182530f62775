// Package pricing turns a loan product and a requested amount and term into
// schedule terms: the one place where product settings meet the schedule
// engine, shared by quotes, agreements and the pay-out.
package pricing

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/schedule"
)

// Product is the snapshot of a product a loan was submitted under. It is
// copied into the loan's workflow input so that a later product edit never
// changes a running loan.
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
	Ledger                 string
	Lender                 string
}

// FromModel snapshots a stored product.
func FromModel(p models.Product) Product {
	return Product{
		Code:                   p.Code,
		Currency:               p.Currency,
		CurrencyDecimals:       p.CurrencyDecimals,
		MinAmount:              p.MinAmount,
		MaxAmount:              p.MaxAmount,
		MinTermMonths:          p.MinTermMonths,
		MaxTermMonths:          p.MaxTermMonths,
		AnnualInterestRate:     p.AnnualInterestRate,
		DisbursementFeePercent: p.DisbursementFeePercent,
		MonthlyFeePercent:      p.MonthlyFeePercent,
		MinAge:                 p.MinAge,
		MaxAgeAtMaturity:       p.MaxAgeAtMaturity,
		MaxOpenLoans:           p.MaxOpenLoans,
		CashReleaseWindowDays:  p.CashReleaseWindowDays,
		FourEyesThreshold:      p.FourEyesThreshold,
		Ledger:                 p.Ledger,
		Lender:                 p.Lender,
	}
}

// Terms are the schedule terms of a consumer loan under p: monthly
// declining-balance annuity, first repayment one month after the pay-out,
// product fees as percentages of the principal (the disbursement fee
// financed).
func Terms(p Product, amount decimal.Decimal, months int, disbursedOn time.Time) schedule.Terms {
	t := schedule.Terms{
		Principal:                  amount,
		DisbursementDate:           Day(disbursedOn),
		NumberOfRepayments:         months,
		RepaymentEvery:             1,
		RepaymentFrequency:         "months",
		InterestRate:               p.AnnualInterestRate,
		InterestRateFrequency:      "years",
		InterestMethod:             "declining_balance",
		Amortization:               "equal_installments",
		InterestCalculationPeriod:  "same_as_repayment",
		AllowPartialPeriodInterest: false,
		DaysInYear:                 "actual",
		DaysInMonth:                "actual",
		Currency:                   schedule.Currency{Code: p.Currency, DecimalPlaces: p.CurrencyDecimals},
		RoundingMode:               "half_even",
		Engine:                     "cumulative",
	}
	if p.DisbursementFeePercent.IsPositive() {
		t.Fees = append(t.Fees, schedule.Fee{Type: "disbursement", Calculation: "percent_of_principal", Amount: p.DisbursementFeePercent})
	}
	if p.MonthlyFeePercent.IsPositive() {
		t.Fees = append(t.Fees, schedule.Fee{Type: "monthly", Calculation: "percent_of_principal", Amount: p.MonthlyFeePercent})
	}
	return t
}

// Quote computes the schedule a loan of amount over months would have if it
// were paid out on disbursedOn.
func Quote(p Product, amount decimal.Decimal, months int, disbursedOn time.Time) (*schedule.Schedule, error) {
	return schedule.Generate(Terms(p, amount, months, disbursedOn))
}

// Day truncates t to its calendar day in UTC: schedule dates carry no time.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
