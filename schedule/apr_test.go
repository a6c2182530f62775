package schedule

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAPR checks the EU Consumer Credit Directive rate against values solved independently (bisection
// on Σ flow·(1+X)^(-days/365.25) in Python).
func TestAPR(t *testing.T) {
	interestFree := func(fee Fee) Terms {
		return Terms{Principal: dec("1000.00"), DisbursementDate: day("2024-01-01"), NumberOfRepayments: 12,
			InterestRate: dec("0"), Amortization: AmortizationEqualPrincipal, Fees: []Fee{fee}}
	}
	cases := []struct {
		name  string
		terms Terms
		want  string
	}{
		{"RS02: 12 % nominal with the EMI rounded up to whole euros", Terms{Principal: dec("5000.00"),
			DisbursementDate: day("2022-11-01"), NumberOfRepayments: 18, InterestRate: dec("12"),
			AllowPartialPeriodInterest: true, InstallmentInMultiplesOf: 1}, "12.71"},
		{"interest-free with a deducted fee of 50", interestFree(Fee{Type: FeeDisbursement, Calculation: FeeFlat, Amount: dec("50"), Deducted: true}), "10.01"},
		{"interest-free with a financed fee of 50", interestFree(Fee{Type: FeeDisbursement, Calculation: FeeFlat, Amount: dec("50")}), "9.92"},
		{"interest-free and fee-free", interestFree(Fee{Type: FeeMonthly, Calculation: FeeFlat, Amount: dec("0")}), "0.00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Generate(tc.terms)
			require.NoError(t, err)
			require.Equal(t, tc.want, s.APR.StringFixed(2))
		})
	}
}

func TestAPRSingleRepayment(t *testing.T) {
	s := &Schedule{
		Tranches: []Disbursement{{Date: day("2024-01-01"), Amount: dec("1000")}},
		Periods:  []Period{{DueDate: day("2024-12-31"), Total: dec("1100")}},
	}
	// 1100/1000 after 365 of 365.25 days: (1.1)^(365.25/365) − 1 = 10.0072 %.
	require.Equal(t, "10.01", APR(s).StringFixed(2))
}
