package servicing

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/schedule"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// demoTerms is the demo product's loan (lending.Product.Terms): 2,000.00 over 6 months at 36 % a year,
// monthly declining-balance annuity, actual/actual, half-even, two decimals, paid out 15 Jan 2025.
// Its schedule (EMI 369.20, 3 % a month):
//
//	#  due         principal  interest  balance
//	1  2025-02-15  309.20     60.00     1690.80
//	2  2025-03-15  318.48     50.72     1372.32
//	3  2025-04-15  328.03     41.17     1044.29
//	4  2025-05-15  337.87     31.33      706.42
//	5  2025-06-15  348.01     21.19      358.41
//	6  2025-07-15  358.41     10.75        0.00   (total interest 215.16)
func demoTerms() schedule.Terms {
	return schedule.Terms{
		Principal: dec("2000.00"), DisbursementDate: date("2025-01-15"), NumberOfRepayments: 6,
		RepaymentEvery: 1, RepaymentFrequency: schedule.Months, InterestRate: dec("36"), InterestRateFrequency: schedule.Years,
		InterestMethod: schedule.InterestDecliningBalance, Amortization: schedule.AmortizationEqualInstallments,
		InterestCalculationPeriod: schedule.InterestPeriodSameAsRepayment, DaysInYear: schedule.DaysActual,
		DaysInMonth: schedule.DaysActual, Currency: schedule.Currency{Code: "MDL", DecimalPlaces: 2},
		RoundingMode: schedule.RoundHalfEven, Engine: schedule.EngineCumulative,
	}
}

func open(t testing.TB, terms schedule.Terms, p Policy) *Account {
	t.Helper()
	s, err := schedule.Generate(terms)
	require.NoError(t, err)
	a, err := Open(terms, s, p)
	require.NoError(t, err)
	return a
}

// requireMoney compares at two decimals, so a failure prints both amounts plainly.
func requireMoney(t testing.TB, want string, got decimal.Decimal, what string, args ...any) {
	t.Helper()
	require.Equal(t, dec(want).StringFixed(2), got.StringFixed(2), append([]any{what}, args...)...)
}

// requireAccrued checks an accrual charged total, and each installment charged its late fee and
// penalty interest, in that order.
func requireAccrued(t testing.TB, res Accrued, total string, charges ...[2]string) {
	t.Helper()
	require.Len(t, res.Charges, len(charges))
	for i, want := range charges {
		requireMoney(t, want[0], res.Charges[i].LateFee, "installment %d late fee", i+1)
		requireMoney(t, want[1], res.Charges[i].PenaltyInterest, "installment %d penalty interest", i+1)
	}
	requireMoney(t, total, res.Total, "total")
}

func requireChecks(t testing.TB, a *Account) {
	t.Helper()
	require.NoError(t, a.Check())
}
