package servicing

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/schedule"
)

func TestPolicyValidateNamesEveryBadField(t *testing.T) {
	cases := []struct {
		name   string
		policy Policy
		fields []string
	}{
		{"zero value", Policy{}, nil},
		{"everything set", Policy{DaysInYear: Days365, DaysInMonth: Days30, AllocationOrder: OrderDueFirstThenAdvance,
			PrepaymentStrategy: StrategyReduceTerm, EarlyRepaymentFeePercent: dec("1"), PenaltyGraceDays: 3, LateFee: dec("10"),
			PenaltyRate: dec("18.5"), PenaltyCapPercent: dec("10"), Buckets: []int{15, 30}, HolidayInterest: HolidayCapitalize}, nil},
		{"unknown enums", Policy{DaysInYear: "364", DaysInMonth: "31", AllocationOrder: "fees_first", PrepaymentStrategy: "skip",
			HolidayInterest: "forgive"}, []string{"days_in_year", "days_in_month", "allocation_order", "prepayment_strategy", "holiday_interest"}},
		{"negative numbers", Policy{EarlyRepaymentFeePercent: dec("-1"), PenaltyGraceDays: -1, LateFee: dec("-0.01"),
			PenaltyRate: dec("-5"), PenaltyCapPercent: dec("-1")},
			[]string{"early_repayment_fee_percent", "penalty_rate", "penalty_cap_percent", "late_fee", "penalty_grace_days"}},
		{"too large", Policy{EarlyRepaymentFeePercent: dec("100.01"), PenaltyRate: dec("1001"), PenaltyCapPercent: dec("101"),
			PenaltyGraceDays: 3651}, []string{"early_repayment_fee_percent", "penalty_rate", "penalty_cap_percent", "penalty_grace_days"}},
		{"buckets out of order", Policy{Buckets: []int{30, 30, 90}}, []string{"buckets"}},
		{"bucket of zero days", Policy{Buckets: []int{0, 30}}, []string{"buckets"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var fields []string
			for _, p := range tc.policy.Validate() {
				fields = append(fields, p.Field)
				require.NotEmpty(t, p.Message)
			}
			require.Equal(t, tc.fields, fields)
		})
	}
}

// The zero policy resolves to the demo product's settings: the terms' day count, today's order and
// strategy, buckets 30/60/90, no fee, no penalties.
func TestOpenResolvesDefaults(t *testing.T) {
	a := open(t, demoTerms(), Policy{})
	p := a.Policy
	require.Equal(t, DaysActual, p.DaysInYear)
	require.Equal(t, DaysActual, p.DaysInMonth)
	require.Equal(t, OrderPenaltiesFeesInterestPrincipal, p.AllocationOrder)
	require.Equal(t, StrategyNextInstallments, p.PrepaymentStrategy)
	require.Equal(t, HolidayFirstInstallment, p.HolidayInterest)
	require.Equal(t, []int{30, 60, 90}, p.Buckets)
	require.True(t, p.EarlyRepaymentFeePercent.IsZero() && p.LateFee.IsZero() && p.PenaltyRate.IsZero())
	require.Equal(t, StateOpen, a.State())
	require.Len(t, a.Installments, 6)
	requireMoney(t, "2000.00", a.Principal, "principal")
	requireChecks(t, a)
}

func TestOpenRefuses(t *testing.T) {
	terms := demoTerms()
	s, err := schedule.Generate(terms)
	require.NoError(t, err)

	_, err = Open(terms, s, Policy{PenaltyRate: dec("-1")})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, "penalty_rate", ve.Problems[0].Field)

	_, err = Open(terms, s, Policy{LateFee: dec("1.005")})
	require.ErrorAs(t, err, &ve)
	require.Equal(t, "late_fee", ve.Problems[0].Field, "a late fee finer than the currency")

	t364 := demoTerms()
	t364.DaysInYear = schedule.Days364
	s364, err := schedule.Generate(t364)
	require.NoError(t, err)
	_, err = Open(t364, s364, Policy{})
	require.ErrorAs(t, err, &ve)
	require.Equal(t, "days_in_year", ve.Problems[0].Field, "364 days is a schedule setting, not an accrual day count")
	_, err = Open(t364, s364, Policy{DaysInYear: Days365})
	require.NoError(t, err)

	bad := demoTerms()
	bad.NumberOfRepayments = 0
	_, err = Open(bad, s, Policy{})
	var se *schedule.ValidationError
	require.ErrorAs(t, err, &se)
}

// An account survives JSON, as workflow state and continue-as-new input: the copy serves the same
// payoff and takes the same repayment.
func TestAccountJSONRoundTrip(t *testing.T) {
	a := open(t, demoTerms(), penaltyPolicy())
	_, err := a.Repay(dec("1000.00"), date("2025-03-01"), StrategyReduceInstallment)
	require.NoError(t, err)
	_, err = a.AccrueTo(date("2025-04-20"))
	require.NoError(t, err)
	b, err := json.Marshal(a)
	require.NoError(t, err)
	var back Account
	require.NoError(t, json.Unmarshal(b, &back))
	requireChecks(t, &back)

	want, err := a.Quote(date("2025-05-01"))
	require.NoError(t, err)
	got, err := back.Quote(date("2025-05-01"))
	require.NoError(t, err)
	require.True(t, sameQuote(want, got), "%+v\n%+v", want, got)

	r1, err := a.Repay(dec("300.00"), date("2025-05-01"), "")
	require.NoError(t, err)
	r2, err := back.Repay(dec("300.00"), date("2025-05-01"), "")
	require.NoError(t, err)
	j1, _ := json.Marshal(r1)
	j2, _ := json.Marshal(r2)
	require.JSONEq(t, string(j1), string(j2))
}
