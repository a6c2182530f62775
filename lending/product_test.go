package lending_test

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/schedule"
)

// hardWiredTerms are the terms every product had before products carried
// schedule settings, literally as lending.Product.Terms wrote them.
func hardWiredTerms(p lending.Product, amount decimal.Decimal, months int, disbursed string) schedule.Terms {
	t := schedule.Terms{
		Principal:                  amount,
		DisbursementDate:           date(disbursed),
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

// A loan submitted before products had schedule settings carries a product
// without them in its workflow input; replayed, it must price exactly as
// it was priced then.
func TestZeroScheduleKeepsTheHardWiredTerms(t *testing.T) {
	withFees := consumer()
	withFees.DisbursementFeePercent = decimal.RequireFromString("2.5")
	withFees.MonthlyFeePercent = decimal.RequireFromString("0.9")
	for name, p := range map[string]lending.Product{"no fees": consumer(), "fees": withFees} {
		t.Run(name, func(t *testing.T) {
			// Decoded from an input recorded before the field existed.
			recorded, err := json.Marshal(map[string]any{
				"Code": p.Code, "Currency": p.Currency, "CurrencyDecimals": p.CurrencyDecimals,
				"AnnualInterestRate": p.AnnualInterestRate, "DisbursementFeePercent": p.DisbursementFeePercent,
				"MonthlyFeePercent": p.MonthlyFeePercent, "MinTermMonths": p.MinTermMonths, "MaxTermMonths": p.MaxTermMonths,
			})
			require.NoError(t, err)
			var old lending.Product
			require.NoError(t, json.Unmarshal(recorded, &old))
			require.Equal(t, lending.Schedule{}, old.Schedule)

			amount := decimal.RequireFromString("12345.67")
			for _, months := range []int{3, 7, 12, 36} {
				want := hardWiredTerms(p, amount, months, "2026-01-31")
				got := old.Terms(amount, months, date("2026-01-31").Add(13*3600e9))
				require.Equal(t, want, got)
				wantSched, err := schedule.Generate(want)
				require.NoError(t, err)
				gotSched, err := old.Quote(amount, months, date("2026-01-31"))
				require.NoError(t, err)
				require.Equal(t, wantSched, gotSched)
				require.True(t, old.TermAllowed(months) || months > p.MaxTermMonths)
			}
			// Spelling the defaults out changes nothing either.
			spelled := old
			spelled.Schedule = lending.Schedule{}.Normalized()
			require.Equal(t, old.Terms(amount, 12, date("2026-01-31")), spelled.Terms(amount, 12, date("2026-01-31")))
		})
	}
}

func TestNormalizedScheduleSpellsOutTheDefaults(t *testing.T) {
	require.Equal(t, lending.Schedule{
		InterestMethod: schedule.InterestDecliningBalance, Amortization: schedule.AmortizationEqualInstallments,
		InterestCalculationPeriod: schedule.InterestPeriodSameAsRepayment, DaysInYear: schedule.DaysActual,
		DaysInMonth: schedule.DaysActual, RepaymentEvery: 1, RoundingMode: schedule.RoundHalfEven, Engine: schedule.EngineCumulative,
	}, lending.Schedule{}.Normalized())
	flat := lending.Schedule{InterestMethod: schedule.InterestFlat, RepaymentEvery: 3, GraceOnPrincipal: 1}.Normalized()
	require.Equal(t, schedule.InterestFlat, flat.InterestMethod)
	require.Equal(t, 3, flat.RepaymentEvery)
	require.Equal(t, 1, flat.GraceOnPrincipal)
}

func TestRepaymentEveryMonths(t *testing.T) {
	p := consumer()
	p.Schedule = lending.Schedule{RepaymentEvery: 2, Amortization: schedule.AmortizationEqualPrincipal}
	s, err := p.Quote(decimal.RequireFromString("6000"), 12, date("2026-01-15"))
	require.NoError(t, err)
	require.Len(t, s.Periods, 6, "12 months paid every 2 months is 6 installments")
	for i, per := range s.Periods {
		require.Equal(t, date("2026-01-15").AddDate(0, 2*(i+1), 0), per.DueDate)
		require.Equal(t, "1000", per.Principal.String(), "equal principal")
	}
	require.True(t, p.TermAllowed(12))
	require.False(t, p.TermAllowed(13), "13 months is not a whole number of 2-month periods")
	require.False(t, p.WithinRanges(decimal.RequireFromString("6000"), 13))
	_, err = p.Quote(decimal.RequireFromString("6000"), 13, date("2026-01-15"))
	require.ErrorContains(t, err, "not a whole number of 2-month periods")
}
