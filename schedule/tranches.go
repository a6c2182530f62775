package schedule

import (
	"time"

	"github.com/shopspring/decimal"
)

// trancheGroup is what the cumulative engine pays out on one date: the tranches' sum, the down payment
// of each tranche (Fineract makes one down payment installment per tranche, each rounded on its own)
// and the rest, which joins the amortized balance.
type trancheGroup struct {
	date   time.Time
	period int // index of the repayment period that takes it in; -1 when paid out on the schedule start
	gross  decimal.Decimal
	downs  []decimal.Decimal
	net    decimal.Decimal
}

// trancheGroups groups the (date-ordered, money) disbursements by date and places each group in the
// repayment period that takes it in. AbstractCumulativeLoanScheduleGenerator#processDisbursements adds
// a tranche to the period running after its start up to and including its due date, so a tranche
// paid out on a due date belongs to the period ending that day (the progressive engine gives it to
// the next one). Tranches paid out on the schedule start are amortized from the first period.
func trancheGroups(t Terms, r rounder, spans []span) []trancheGroup {
	ds := t.Disbursements
	if len(ds) == 0 {
		ds = []Disbursement{{Date: t.DisbursementDate, Amount: t.Principal}}
	}
	start := spans[0].From
	out := make([]trancheGroup, 0, len(ds))
	k := 0
	for _, d := range ds {
		date := utcDate(d.Date)
		if n := len(out); n == 0 || !out[n-1].date.Equal(date) {
			period := -1
			if date.After(start) {
				for date.After(spans[k].Due) {
					k++ // Validate keeps every tranche before the last due date
				}
				period = k
			}
			out = append(out, trancheGroup{date: date, period: period, gross: decimal.Zero, net: decimal.Zero})
		}
		g := &out[len(out)-1]
		dp := downPaymentAmount(t, r, d.Amount)
		g.gross = g.gross.Add(d.Amount)
		g.downs = append(g.downs, dp)
		g.net = g.net.Add(d.Amount.Sub(dp))
	}
	return out
}

// downPaymentPeriods are the group's down payment installments, due on its date. before is the
// balance just before the group is paid out; each installment's balance is the one Fineract's
// schedule shows: every tranche of the date paid out, less the down payments up to this one.
func (g trancheGroup) downPaymentPeriods(before, zero decimal.Decimal) []Period {
	var out []Period
	balance := before.Add(g.gross)
	for _, dp := range g.downs {
		if !dp.IsPositive() {
			continue
		}
		balance = balance.Sub(dp)
		out = append(out, downPaymentPeriod(g.date, dp, balance, zero))
	}
	return out
}

// downPaymentAmount is the part of a disbursement due at once: amount × percent / 100 as money,
// rounded to the installment multiple when one is set.
func downPaymentAmount(t Terms, r rounder, amount decimal.Decimal) decimal.Decimal {
	if t.DownPaymentPercent == nil || !t.DownPaymentPercent.IsPositive() {
		return decimal.Zero
	}
	dp := r.money(amount.Mul(*t.DownPaymentPercent).Div(hundred))
	if m := t.InstallmentInMultiplesOf; m > 0 {
		dp = r.multipleOf(dp, m)
	}
	return dp
}

func downPaymentPeriod(on time.Time, amount, balance, zero decimal.Decimal) Period {
	return Period{FromDate: on, DueDate: on, Principal: amount, Interest: zero, Balance: balance, downPayment: true}
}
