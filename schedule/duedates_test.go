package schedule

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestShiftDueDate(t *testing.T) {
	monthly31 := Terms{DisbursementDate: day("2024-01-31"), RepaymentEvery: 1, RepaymentFrequency: Months}
	firstOn30 := monthly31
	first := day("2024-03-30")
	firstOn30.FirstRepaymentDate = &first
	cases := []struct {
		name  string
		terms Terms
		from  string
		n     int
		want  string
	}{
		{"back on the 31st after a short month", monthly31, "2024-02-29", 1, "2024-03-31"},
		{"two months on", monthly31, "2024-02-29", 2, "2024-04-30"},
		{"into February of a common year", monthly31, "2024-12-31", 2, "2025-02-28"},
		{"back one", monthly31, "2024-03-31", -1, "2024-02-29"},
		{"the first repayment date seeds the day", firstOn30, "2024-04-30", 1, "2024-05-30"},
		{"weeks", Terms{DisbursementDate: day("2024-01-01"), RepaymentEvery: 2, RepaymentFrequency: Weeks}, "2024-01-15", 3, "2024-02-26"},
		{"days", Terms{DisbursementDate: day("2024-01-01"), RepaymentEvery: 10, RepaymentFrequency: Days}, "2024-01-11", 2, "2024-01-31"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.terms.ShiftDueDate(day(tc.from), tc.n).Format(time.DateOnly))
		})
	}
}

// Shifting a due date of the grid lands on the grid: the date a longer schedule has there.
func TestShiftDueDateStaysOnTheGrid(t *testing.T) {
	terms := Terms{Principal: dec("1000"), DisbursementDate: day("2024-01-31"), NumberOfRepayments: 24, InterestRate: dec("12")}
	long := terms
	long.NumberOfRepayments = 30
	s, err := Generate(terms)
	require.NoError(t, err)
	l, err := Generate(long)
	require.NoError(t, err)
	for i, p := range s.Periods {
		require.Equal(t, l.Periods[i+6].DueDate, terms.ShiftDueDate(p.DueDate, 6), "period %d", p.Number)
	}
}

// Given the dates the grid would generate, both engines give the same schedule; given others, the
// periods run between them.
func TestExplicitDueDates(t *testing.T) {
	for _, engine := range []string{EngineCumulative, EngineProgressive} {
		t.Run(engine, func(t *testing.T) {
			terms := Terms{Principal: dec("5000.00"), DisbursementDate: day("2024-01-31"), NumberOfRepayments: 12,
				InterestRate: dec("18"), InterestCalculationPeriod: InterestPeriodDaily, Engine: engine}
			grid, err := Generate(terms)
			require.NoError(t, err)
			explicit := terms
			explicit.NumberOfRepayments = 0
			for _, p := range grid.Periods {
				explicit.DueDates = append(explicit.DueDates, p.DueDate)
			}
			same, err := Generate(explicit)
			require.NoError(t, err)
			require.Equal(t, len(grid.Periods), len(same.Periods))
			for i := range grid.Periods {
				g, e := grid.Periods[i], same.Periods[i]
				require.Equal(t, g.DueDate, e.DueDate)
				require.True(t, g.Principal.Equal(e.Principal) && g.Interest.Equal(e.Interest), "period %d: %+v vs %+v", g.Number, g, e)
			}

			irregular := terms
			irregular.NumberOfRepayments = 0
			irregular.DueDates = []time.Time{day("2024-02-10"), day("2024-04-10"), day("2024-04-20")}
			s, err := Generate(irregular)
			require.NoError(t, err)
			require.Len(t, s.Periods, 3)
			require.NoError(t, checkInvariants(irregular, s))
			require.Equal(t, day("2024-02-10"), s.Periods[1].FromDate)
			require.Equal(t, 60, s.Periods[1].Days)
		})
	}
}

func TestExplicitDueDatesValidation(t *testing.T) {
	first := day("2024-04-01")
	cases := []struct {
		name   string
		change func(*Terms)
		fields []string
	}{
		{"not after the previous", func(t *Terms) { t.DueDates = []time.Time{day("2024-04-01"), day("2024-04-01")} }, []string{"due_dates[1]"}},
		{"not after the disbursement", func(t *Terms) { t.DueDates = []time.Time{day("2024-03-01"), day("2024-05-01")} }, []string{"due_dates[0]"}},
		{"with a first repayment date", func(t *Terms) { t.DueDates, t.FirstRepaymentDate = []time.Time{day("2024-04-01")}, &first }, []string{"due_dates"}},
		{"outside printable years", func(t *Terms) { t.DueDates = []time.Time{day("2024-04-01"), {}} }, []string{"due_dates[1]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			terms := validTerms()
			tc.change(&terms)
			requireFields(t, terms.Validate(), tc.fields)
		})
	}
}

// A fixed installment of 500.00 repays 2000.00 at 3 % a month in five installments, not six:
//
//	#1 interest 60.00 principal 440.00 balance 1560.00
//	#2 46.80   453.20   1106.80
//	#3 33.20   466.80    640.00   (33.204)
//	#4 19.20   480.80    159.20
//	#5  4.78   159.20 (the rest)  0.00
func TestFixedEMI(t *testing.T) {
	for _, engine := range []string{EngineCumulative, EngineProgressive} {
		t.Run(engine, func(t *testing.T) {
			emi := dec("500.00")
			terms := Terms{Principal: dec("2000.00"), DisbursementDate: day("2025-01-15"), NumberOfRepayments: 6,
				InterestRate: dec("36"), Engine: engine, FixedEMI: &emi}
			s, err := Generate(terms)
			require.NoError(t, err)
			require.NoError(t, checkInvariants(terms, s))
			require.Len(t, s.Periods, 5)
			if engine == EngineCumulative {
				for i, want := range []string{"440.00", "453.20", "466.80", "480.80", "159.20"} {
					require.Equal(t, want, s.Periods[i].Principal.StringFixed(2), "period %d", i+1)
				}
			}
			for _, p := range s.Periods[:4] {
				require.Equal(t, "500.00", p.Total.StringFixed(2), "period %d", p.Number)
			}
		})
	}
}

func TestFixedEMIValidation(t *testing.T) {
	neg, fine, ok := dec("-1"), dec("10.001"), dec("100")
	down := decimal.NewFromInt(10)
	cases := []struct {
		name   string
		change func(*Terms)
		fields []string
	}{
		{"negative", func(t *Terms) { t.FixedEMI = &neg }, []string{"fixed_emi"}},
		{"finer than the currency", func(t *Terms) { t.FixedEMI = &fine }, []string{"fixed_emi"}},
		{"flat interest", func(t *Terms) { t.FixedEMI, t.InterestMethod = &ok, InterestFlat }, []string{"fixed_emi"}},
		{"with a down payment", func(t *Terms) { t.FixedEMI, t.DownPaymentPercent = &ok, &down }, []string{"fixed_emi"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			terms := validTerms()
			tc.change(&terms)
			requireFields(t, terms.Validate(), tc.fields)
		})
	}
}

func requireFields(t *testing.T, err error, fields []string) {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	var got []string
	for _, p := range ve.Problems {
		got = append(got, p.Field)
	}
	require.Equal(t, fields, got)
}
