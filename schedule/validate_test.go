package schedule

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func validTerms() Terms {
	return Terms{Principal: dec("1000.00"), DisbursementDate: day("2024-03-01"), NumberOfRepayments: 6,
		InterestRate: dec("24"), Currency: Currency{Code: "EUR", DecimalPlaces: 2}}
}

func TestValidateNamesEveryBadField(t *testing.T) {
	neg := dec("-1")
	hundredPct := dec("100")
	early := day("2024-02-01")
	cases := []struct {
		name   string
		change func(t *Terms)
		fields []string
	}{
		{"zero principal", func(t *Terms) { t.Principal = decimal.Zero }, []string{"principal"}},
		{"principal finer than the currency", func(t *Terms) { t.Principal = dec("10.005") }, []string{"principal"}},
		{"no disbursement date", func(t *Terms) { t.DisbursementDate = time.Time{} }, []string{"disbursement_date"}},
		{"no repayments", func(t *Terms) { t.NumberOfRepayments = 0 }, []string{"number_of_repayments"}},
		{"date outside printable years", func(t *Terms) { t.DisbursementDate = day("1850-01-01") }, []string{"disbursement_date"}},
		{"term past the year 9999", func(t *Terms) { t.NumberOfRepayments, t.RepaymentEvery = 1200, 1000 }, []string{"number_of_repayments"}},
		{"too many repayments", func(t *Terms) { t.NumberOfRepayments = MaxRepayments + 1 }, []string{"number_of_repayments"}},
		{"negative interval", func(t *Terms) { t.RepaymentEvery = -1 }, []string{"repayment_every"}},
		{"unknown frequency", func(t *Terms) { t.RepaymentFrequency = "fortnights" }, []string{"repayment_frequency"}},
		{"negative rate", func(t *Terms) { t.InterestRate = neg }, []string{"interest_rate"}},
		{"rate per day", func(t *Terms) { t.InterestRateFrequency = Days }, []string{"interest_rate_frequency"}},
		{"unknown enums", func(t *Terms) {
			t.InterestMethod, t.Amortization, t.InterestCalculationPeriod = "compound", "balloon", "hourly"
			t.DaysInYear, t.DaysInMonth, t.RoundingMode, t.Engine = "366", "31", "ceiling", "turbo"
		}, []string{"interest_method", "amortization", "interest_calculation_period", "days_in_year", "days_in_month", "rounding_mode", "engine"}},
		{"grace as long as the loan", func(t *Terms) { t.GraceOnPrincipal, t.GraceOnInterestPayment, t.GraceOnInterestCharged = 6, -1, 7 },
			[]string{"grace_on_principal", "grace_on_interest_payment", "grace_on_interest_charged"}},
		{"grace with the progressive engine", func(t *Terms) { t.Engine, t.GraceOnPrincipal = EngineProgressive, 1 }, []string{"engine"}},
		{"progressive yearly", func(t *Terms) { t.Engine, t.RepaymentFrequency = EngineProgressive, Years }, []string{"repayment_frequency"}},
		{"currency places", func(t *Terms) { t.Currency.DecimalPlaces = 9 }, []string{"currency.decimal_places"}},
		{"negative multiples", func(t *Terms) { t.Currency.InMultiplesOf, t.InstallmentInMultiplesOf = -1, -5 },
			[]string{"currency.in_multiples_of", "installment_in_multiples_of"}},
		{"first repayment before disbursement", func(t *Terms) { t.FirstRepaymentDate = &early }, []string{"first_repayment_date"}},
		{"schedule start after disbursement", func(t *Terms) { late := day("2024-04-01"); t.ScheduleStartDate = &late }, []string{"schedule_start_date"}},
		{"down payment of everything", func(t *Terms) { t.DownPaymentPercent = &hundredPct }, []string{"down_payment_percent"}},
		{"fixed principal with equal installments", func(t *Terms) { p := dec("10"); t.FixedPrincipalPercentage = &p }, []string{"fixed_principal_percentage"}},
		{"several tranches with interest charged by whole periods on the cumulative engine", func(t *Terms) {
			t.Disbursements = []Disbursement{{Date: day("2024-03-01"), Amount: dec("500")}, {Date: day("2024-03-05"), Amount: dec("500")}}
		}, []string{"disbursements"}},
		{"tranche problems", func(t *Terms) {
			t.Engine = EngineProgressive
			t.Disbursements = []Disbursement{{Date: day("2024-03-05"), Amount: dec("0")}, {Date: day("2024-03-01"), Amount: dec("1.001")}}
		}, []string{"disbursements[0].amount", "disbursements[1].amount", "disbursements[1].date"}},
		{"tranche after the last due date", func(t *Terms) {
			t.Engine = EngineProgressive
			t.Disbursements = []Disbursement{{Date: day("2024-03-01"), Amount: dec("500")}, {Date: day("2025-03-05"), Amount: dec("500")}}
		}, []string{"disbursements[1].date"}},
		{"fee problems", func(t *Terms) {
			t.Fees = []Fee{{Type: "weekly", Calculation: FeeFlat, Amount: dec("1")}, {Type: FeeMonthly, Calculation: "tiered", Amount: neg, Deducted: true}}
		}, []string{"fees[0].type", "fees[1].deducted", "fees[1].calculation", "fees[1].amount"}},
		{"deducted fee eats the pay-out", func(t *Terms) {
			t.Fees = []Fee{{Type: FeeDisbursement, Calculation: FeePercentOfPrincipal, Amount: dec("100"), Deducted: true}}
		}, []string{"fees"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			terms := validTerms()
			tc.change(&terms)
			err := terms.Validate()
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "want a *ValidationError, got %v", err)
			got := map[string]bool{}
			for _, p := range ve.Problems {
				got[p.Field] = true
				require.NotEmpty(t, p.Message)
			}
			for _, f := range tc.fields {
				require.True(t, got[f], "no problem for %s in %v", f, ve.Problems)
			}
			require.Len(t, ve.Problems, len(tc.fields), "%v", ve.Problems)
			_, genErr := Generate(terms)
			require.Error(t, genErr)
		})
	}
}

func TestValidTermsPass(t *testing.T) {
	require.NoError(t, validTerms().Validate())
	require.NoError(t, Terms{Principal: dec("1"), DisbursementDate: day("2024-01-31"), NumberOfRepayments: 1}.Validate())
}

// TestCumulativeTranchesNeedInterestByTheDayOrPartialPeriods: Fineract takes several tranches on its
// cumulative engine when interest runs by the day or by partial periods, and refuses them when each
// period charges a whole period's interest; with no interest there is nothing to refuse.
func TestCumulativeTranchesNeedInterestByTheDayOrPartialPeriods(t *testing.T) {
	cases := []struct {
		name   string
		change func(t *Terms)
		ok     bool
	}{
		{"whole periods", func(*Terms) {}, false},
		{"partial periods", func(t *Terms) { t.AllowPartialPeriodInterest = true }, true},
		{"daily interest", func(t *Terms) { t.InterestCalculationPeriod = InterestPeriodDaily }, true},
		{"no interest", func(t *Terms) { t.InterestRate = dec("0") }, true},
		{"progressive engine", func(t *Terms) { t.Engine = EngineProgressive }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			terms := validTerms()
			terms.Disbursements = []Disbursement{{Date: day("2024-03-01"), Amount: dec("500")}, {Date: day("2024-03-20"), Amount: dec("500")}}
			tc.change(&terms)
			s, err := Generate(terms)
			if tc.ok {
				require.NoError(t, err)
				require.True(t, s.TotalPrincipal.Equal(dec("1000")), "total principal %s", s.TotalPrincipal)
				return
			}
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Problems, 1)
			require.Equal(t, "disbursements", ve.Problems[0].Field)
		})
	}
}

func TestNormalizeDefaults(t *testing.T) {
	n := Terms{}.Normalize()
	require.Equal(t, Terms{RepaymentEvery: 1, RepaymentFrequency: Months, InterestRateFrequency: Years,
		InterestMethod: InterestDecliningBalance, Amortization: AmortizationEqualInstallments,
		InterestCalculationPeriod: InterestPeriodSameAsRepayment, DaysInYear: DaysActual, DaysInMonth: DaysActual,
		RoundingMode: RoundHalfEven, Engine: EngineCumulative, Currency: Currency{DecimalPlaces: 2}}, n)
}
