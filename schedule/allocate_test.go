package schedule

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func due(n int, pen, fee, in, pr string) Due {
	return Due{Number: n, Penalties: dec(pen), Fees: dec(fee), Interest: dec(in), Principal: dec(pr)}
}

func part(n int, pen, fee, in, pr string) Part {
	return Part{Number: n, Penalties: dec(pen), Fees: dec(fee), Interest: dec(in), Principal: dec(pr)}
}

func TestAllocate(t *testing.T) {
	two := []Due{due(1, "5.00", "2.00", "10.00", "83.00"), due(2, "0.00", "2.00", "9.00", "84.00")}
	cases := []struct {
		name  string
		dues  []Due
		pay   string
		parts []Part
		over  string
	}{
		{"exact first installment", two, "100.00", []Part{part(1, "5.00", "2.00", "10.00", "83.00")}, "0.00"},
		{"penalties, then fees, then interest, then principal", two, "16.00",
			[]Part{part(1, "5.00", "2.00", "9.00", "0.00")}, "0.00"},
		{"an early payment pays the next installment's interest before its principal", two, "112.00",
			[]Part{part(1, "5.00", "2.00", "10.00", "83.00"), part(2, "0.00", "2.00", "9.00", "1.00")}, "0.00"},
		{"what is left after the last installment is an overpayment", two, "250.00",
			[]Part{part(1, "5.00", "2.00", "10.00", "83.00"), part(2, "0.00", "2.00", "9.00", "84.00")}, "55.00"},
		{"paid installments are skipped", []Due{due(1, "0", "0", "0", "0"), due(2, "0", "1.00", "1.00", "8.00")}, "3.00",
			[]Part{part(2, "0", "1.00", "1.00", "1.00")}, "0.00"},
		{"nothing paid", two, "0.00", nil, "0.00"},
		{"nothing due", nil, "7.50", nil, "7.50"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Allocate(tc.dues, dec(tc.pay))
			require.NoError(t, err)
			require.Len(t, a.Parts, len(tc.parts))
			sum := a.Overpayment
			for i, want := range tc.parts {
				got := a.Parts[i]
				require.Equal(t, want.Number, got.Number)
				for _, f := range []struct {
					name      string
					want, got decimal.Decimal
				}{{"penalties", want.Penalties, got.Penalties}, {"fees", want.Fees, got.Fees}, {"interest", want.Interest, got.Interest}, {"principal", want.Principal, got.Principal}} {
					require.True(t, f.want.Equal(f.got), "installment %d %s: want %s, got %s", want.Number, f.name, f.want, f.got)
				}
				sum = sum.Add(got.Total())
			}
			require.True(t, dec(tc.over).Equal(a.Overpayment), "overpayment %s", a.Overpayment)
			require.True(t, dec(tc.pay).Equal(sum), "allocated %s of %s", sum, tc.pay)
		})
	}
}

func TestAllocateRejectsNegatives(t *testing.T) {
	_, err := Allocate(nil, dec("-0.01"))
	require.ErrorIs(t, err, ErrNegativePayment)
	_, err = Allocate([]Due{due(1, "0", "-1", "0", "0")}, dec("1"))
	require.ErrorIs(t, err, ErrNegativeDue)
}

// v4Loan is Fineract doc example V4: 10000 at 2 % a month over 12 months from 2012-06-01.
func v4Loan(fees ...Fee) Terms {
	return Terms{Principal: dec("10000"), DisbursementDate: day("2012-06-01"), NumberOfRepayments: 12,
		InterestRate: dec("2"), InterestRateFrequency: Months, Currency: Currency{Code: "USD", DecimalPlaces: 2}, Fees: fees}
}

func TestPayoff(t *testing.T) {
	cases := []struct {
		name                             string
		terms                            Terms
		paid                             []string
		asOf                             string
		principal, interest, fees, total string
		installments                     int
	}{
		{"on the disbursement day only the principal", v4Loan(), nil, "2012-06-01", "10000.00", "0.00", "0.00", "10000.00", 12},
		{"half-way through the first period accrues half its interest", v4Loan(), nil, "2012-06-16", "10000.00", "100.00", "0.00", "10100.00", 12},
		{"after four installments, 15 of period 5's 31 days", v4Loan(), []string{"3000.00", "782.40"}, "2012-10-16",
			"6926.93", "67.04", "0.00", "6993.97", 8}, // 138.54 × 15/31 = 67.0355
		{"overdue installments are owed in full", v4Loan(), []string{"3782.40"}, "2012-12-16",
			"6926.93", "312.20", "0.00", "7239.13", 8}, // 138.54 + 122.40 + 105.93 × 15/31
		{"after maturity everything unpaid is owed", v4Loan(), []string{"945.60"}, "2014-01-01",
			"9254.40", "1147.15", "0.00", "10401.55", 11},
		{"the running period's fee is owed, later ones are not",
			v4Loan(Fee{Type: FeeMonthly, Calculation: FeeFlat, Amount: dec("5")}), []string{"950.60"}, "2012-07-11",
			"9254.40", "59.71", "5.00", "9319.11", 11}, // 185.09 × 10/31
		{"fully repaid", v4Loan(), []string{"11347.15"}, "2013-06-01", "0.00", "0.00", "0.00", "0.00", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Generate(tc.terms)
			require.NoError(t, err)
			paid := make([]decimal.Decimal, len(tc.paid))
			for i, p := range tc.paid {
				paid[i] = dec(p)
			}
			q, err := Payoff(s, paid, day(tc.asOf), tc.terms)
			require.NoError(t, err)
			require.Equal(t, tc.principal, q.Principal.StringFixed(2), "principal")
			require.Equal(t, tc.interest, q.Interest.StringFixed(2), "interest")
			require.Equal(t, tc.fees, q.Fees.StringFixed(2), "fees")
			require.Equal(t, tc.total, q.Total.StringFixed(2), "total")
			require.Len(t, q.Installments, tc.installments)
			sum := decimal.Zero
			for _, d := range q.Installments {
				sum = sum.Add(d.Principal).Add(d.Interest).Add(d.Fees)
			}
			require.True(t, sum.Equal(q.Total), "installments sum to %s, total %s", sum, q.Total)
		})
	}
}

func TestPayoffRejects(t *testing.T) {
	s, err := Generate(v4Loan())
	require.NoError(t, err)
	_, err = Payoff(s, nil, day("2012-05-31"), v4Loan())
	require.ErrorIs(t, err, ErrPayoffBeforeDisbursement)
	_, err = Payoff(s, []decimal.Decimal{dec("-1")}, day("2012-07-01"), v4Loan())
	require.ErrorIs(t, err, ErrNegativePayment)
}
