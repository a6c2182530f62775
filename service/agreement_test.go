package service

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/agreement"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/schedule"
)

// The agreement states the schedule the loan's product computes: a loan
// from before products had one is the monthly declining-balance annuity,
// and the progressive engine's interest is always by the day.
func TestAgreementSchedule(t *testing.T) {
	tests := []struct {
		name string
		in   lending.Schedule
		want agreement.Schedule
	}{
		{"zero", lending.Schedule{}, agreement.Schedule{
			RepaymentEvery: 1, InterestMethod: schedule.InterestDecliningBalance,
			Amortization: schedule.AmortizationEqualInstallments, InterestCalculation: schedule.InterestPeriodSameAsRepayment,
		}},
		{"every setting", lending.Schedule{
			RepaymentEvery: 2, InterestMethod: schedule.InterestFlat, Amortization: schedule.AmortizationEqualPrincipal,
			InterestCalculationPeriod: schedule.InterestPeriodDaily, GraceOnPrincipal: 1, GraceOnInterestPayment: 2, GraceOnInterestCharged: 3,
		}, agreement.Schedule{
			RepaymentEvery: 2, InterestMethod: schedule.InterestFlat, Amortization: schedule.AmortizationEqualPrincipal,
			InterestCalculation: schedule.InterestPeriodDaily, GraceOnPrincipal: 1, GraceOnInterestPayment: 2, GraceOnInterestCharged: 3,
		}},
		{"progressive", lending.Schedule{Engine: schedule.EngineProgressive}, agreement.Schedule{
			RepaymentEvery: 1, InterestMethod: schedule.InterestDecliningBalance,
			Amortization: schedule.AmortizationEqualInstallments, InterestCalculation: schedule.InterestPeriodDaily,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, agreementSchedule(tt.in))
		})
	}
}
