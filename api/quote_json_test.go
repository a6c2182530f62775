package api

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/schedule"
	"github.com/loanflow/loanflow/service"
)

// TestQuoteAnswerIsItsJSON: the quote answer, written by hand, is byte for
// byte what encoding/json writes for its shape (quoteJSON), across
// currency scales, fees, schedule settings, amounts given at and below the
// currency's scale, and product codes and currencies that need escaping.
func TestQuoteAnswerIsItsJSON(t *testing.T) {
	base := models.DevProducts()[0]
	variants := []func(p *models.Product){
		func(p *models.Product) {},
		func(p *models.Product) {
			p.DisbursementFeePercent, p.MonthlyFeePercent = decimal.RequireFromString("2.5"), decimal.RequireFromString("0.35")
		},
		func(p *models.Product) { p.Currency, p.CurrencyDecimals = "JPY", 0 },
		func(p *models.Product) { p.Currency, p.CurrencyDecimals = "KWD", 3 },
		func(p *models.Product) { p.Code, p.Currency = `weird "<code>" & \ é`+"\u2028\x01\x7f", "M<D>L" },
		func(p *models.Product) {
			p.Schedule.InterestMethod, p.Schedule.Amortization = schedule.InterestFlat, schedule.AmortizationEqualPrincipal
		},
		func(p *models.Product) {
			p.Schedule.RepaymentEvery, p.Schedule.GraceOnPrincipal = 3, 1
			p.AnnualInterestRate = decimal.RequireFromString("19.99")
		},
		func(p *models.Product) { p.AnnualInterestRate = decimal.Zero },
	}
	compared := 0
	for i, change := range variants {
		prod := base
		change(&prod)
		for _, amount := range []string{"2000.00", "2000", "1234.5", "49999.99", "1000.001"} {
			for _, months := range []int{3, 6, 12, 36} {
				if months%max(prod.Schedule.RepaymentEvery, 1) != 0 {
					continue
				}
				amt := decimal.RequireFromString(amount)
				sched, err := prod.Snapshot().Quote(amt, months, time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
				if err != nil { // terms the product refuses before any answer (more places than its currency has, a term within the grace)
					continue
				}
				compared++
				q := &service.Quote{Product: &prod, Schedule: sched, InstallmentAmount: prod.Snapshot().InstallmentAmount(sched),
					FirstRepaymentDate: sched.Periods[0].DueDate}
				want, err := json.Marshal(newQuoteJSON(q, amt, months))
				require.NoError(t, err)
				got := appendQuoteJSON(nil, q, amt, months)
				require.True(t, bytes.Equal(want, got), "variant %d, %s over %d months:\nwant %s\ngot  %s", i, amount, months, want, got)
			}
		}
	}
	require.Greater(t, compared, 100)
}
