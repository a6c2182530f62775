package schedule

import (
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// interestPeriod is a stretch of a repayment period with one balance: a disbursement inside a
// repayment period splits it in two.
type interestPeriod struct {
	from, due time.Time
	disbursed decimal.Decimal // paid out at from
	factor    decimal.Decimal // rate factor minus one, at scale 12
}

// repaymentPeriod is one installment of the progressive model (Fineract's EmiRepaymentPeriod).
type repaymentPeriod struct {
	from, due time.Time
	ips       []interestPeriod
	emi       decimal.Decimal
	principal decimal.Decimal
	interest  decimal.Decimal
	remaining decimal.Decimal
}

// rateFactor is 1 + the sum of the interest periods' factors (exact addition, as Fineract's).
func (p *repaymentPeriod) rateFactor() decimal.Decimal {
	f := one
	for _, ip := range p.ips {
		f = f.Add(ip.factor)
	}
	return f
}

func (p *repaymentPeriod) disbursedIn() decimal.Decimal {
	d := decimal.Zero
	for _, ip := range p.ips {
		d = d.Add(ip.disbursed)
	}
	return d
}

// progressiveModel is Fineract's ProgressiveLoanInterestScheduleModel with the ProgressiveEMICalculator
// operations the schedule generator uses: rate factors, EMI over varying factors, one EMI adjustment step.
type progressiveModel struct {
	t     Terms
	r     rounder
	rate  decimal.Decimal // annual nominal rate as a fraction, 12 significant digits
	every decimal.Decimal
	zero  decimal.Decimal
	rps   []repaymentPeriod
}

// generateProgressive builds the progressive schedule: each disbursement (with its down payment, if
// any) is added to the repayment period it falls in (one falling on a due date belongs to the next
// period), the EMI is recomputed from that period on, and each period's interest is its balance times
// its day-fraction rate factor.
func generateProgressive(t Terms, r rounder) *Schedule {
	spans := repaymentSpans(t, scheduleStart(t))
	m := &progressiveModel{
		t:     t,
		r:     r,
		rate:  r.div(annualPercent(t), hundred),
		every: decimal.NewFromInt(int64(t.RepaymentEvery)),
		zero:  r.fixed(decimal.Zero),
		rps:   make([]repaymentPeriod, len(spans)),
	}
	for i, sp := range spans {
		m.rps[i] = repaymentPeriod{from: sp.From, due: sp.Due, emi: m.zero, principal: m.zero, interest: m.zero, remaining: m.zero}
		m.rps[i].ips = []interestPeriod{{from: sp.From, due: sp.Due, disbursed: m.zero}}
		m.rps[i].ips[0].factor = m.factor(&m.rps[i], sp.From, sp.Due)
	}

	ds := t.Disbursements
	if len(ds) == 0 {
		ds = []Disbursement{{Date: t.DisbursementDate, Amount: t.Principal}}
	}
	ds = append([]Disbursement(nil), ds...)
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].Date.Before(ds[j].Date) })

	var downPayments []Period
	dpBefore := make([]int, 0, len(ds)) // index of the repayment period each down payment precedes
	for k := range m.rps {
		for _, d := range ds {
			date := utcDate(d.Date)
			if date.Before(m.rps[k].from) || !date.Before(m.rps[k].due) {
				continue
			}
			amount := r.money(d.Amount)
			if dp := downPaymentAmount(t, r, amount); dp.IsPositive() {
				outstanding := m.initialBalance(k).Add(m.rps[k].disbursedIn())
				downPayments = append(downPayments, downPaymentPeriod(date, dp, outstanding.Add(amount).Sub(dp), m.zero))
				dpBefore = append(dpBefore, k)
				amount = amount.Sub(dp)
			}
			m.addDisbursement(k, date, amount)
		}
	}

	if t.FixedEMI != nil {
		m.rps = repaidPrefix(m.rps)
	}
	periods := make([]Period, 0, len(m.rps)+len(downPayments))
	next := 0
	for k, rp := range m.rps {
		for next < len(downPayments) && dpBefore[next] == k {
			periods = append(periods, downPayments[next])
			next++
		}
		periods = append(periods, Period{FromDate: rp.from, DueDate: rp.due, Days: daysIn(rp.from, rp.due),
			Principal: rp.principal, Interest: rp.interest, Balance: rp.remaining})
	}
	for i := range periods {
		periods[i].Number = i + 1
	}
	return &Schedule{Periods: periods}
}

func (m *progressiveModel) initialBalance(k int) decimal.Decimal {
	if k == 0 {
		return m.zero
	}
	return m.rps[k-1].remaining
}

// addDisbursement puts amount into repayment period k on date, splitting the interest period it falls
// in, then recomputes the EMI of period k and all later ones.
func (m *progressiveModel) addDisbursement(k int, date time.Time, amount decimal.Decimal) {
	rp := &m.rps[k]
	for j := range rp.ips {
		ip := &rp.ips[j]
		if date.Before(ip.from) || !date.Before(ip.due) {
			continue
		}
		if date.Equal(ip.from) {
			ip.disbursed = ip.disbursed.Add(amount)
		} else {
			tail := interestPeriod{from: date, due: ip.due, disbursed: amount}
			ip.due = date
			ip.factor = m.factor(rp, ip.from, ip.due)
			tail.factor = m.factor(rp, tail.from, tail.due)
			rp.ips = append(rp.ips[:j+1], append([]interestPeriod{tail}, rp.ips[j+1:]...)...)
		}
		break
	}
	m.emiFrom(k)
	m.components(m.rps)
	m.adjustEMI(k)
}

// emiFrom computes the EMI of periods k.. over their rate factors r_i:
// EMI = Π(1+r_i) · balance / fn, fn = 1 + fn·(1+r) folded over periods k+1.. (an annuity with varying
// rates), each step at 12 significant digits; the balance is period k's opening balance plus what is
// disbursed in it.
func (m *progressiveModel) emiFrom(k int) {
	r := m.r
	product := one
	fn := one
	for i := k; i < len(m.rps); i++ {
		f := m.rps[i].rateFactor()
		product = r.mul(product, f)
		if i > k {
			fn = r.add(one, r.mul(fn, f))
		}
	}
	balance := m.initialBalance(k).Add(m.rps[k].disbursedIn())
	emi := m.multiples(r.money(r.div(r.mul(product, balance), fn)))
	if m.t.FixedEMI != nil {
		emi = *m.t.FixedEMI
	}
	for i := k; i < len(m.rps); i++ {
		m.rps[i].emi = emi
	}
}

func (m *progressiveModel) multiples(d decimal.Decimal) decimal.Decimal {
	if mult := m.t.InstallmentInMultiplesOf; mult > 0 {
		return m.r.multipleOf(d, mult)
	}
	return d
}

// components derives interest, principal and remaining balance of every period from the EMIs: the
// interest of each interest period is its balance times its factor as money; principal is EMI minus
// interest, except the last period, which repays the balance (and so gets its own EMI).
func (m *progressiveModel) components(rps []repaymentPeriod) {
	r := m.r
	prev := m.zero
	for i := range rps {
		rp := &rps[i]
		outstanding := prev
		interest := m.zero
		for _, ip := range rp.ips {
			outstanding = outstanding.Add(ip.disbursed)
			interest = interest.Add(r.money(r.mul(outstanding, ip.factor)))
		}
		if i == len(rps)-1 {
			rp.principal = outstanding
			rp.emi = outstanding.Add(interest)
		} else {
			rp.principal = rp.emi.Sub(interest)
			if rp.principal.IsNegative() {
				// The period's interest exceeds the EMI (a very high rate over a long period). Fineract
				// then moves interest periods into the next installment; here the installment repays no
				// principal and the interest stays where it accrued, so no amount is ever negative.
				rp.principal = m.zero
			}
			if rp.principal.GreaterThan(outstanding) {
				rp.principal = outstanding // after such a period, never repay more than is owed
			}
		}
		rp.interest = interest
		rp.remaining = outstanding.Sub(rp.principal)
		prev = rp.remaining
	}
}

// adjustEMI is ProgressiveEMICalculator#checkAndAdjustEmiIfNeededOnRelatedRepaymentPeriods: when the
// last installment differs from the others by more than a cent per two related periods, try the EMI
// moved by the difference spread over the periods; keep it only if the difference shrinks. One step.
func (m *progressiveModel) adjustEMI(k int) {
	related := m.rps[k:]
	n := len(related)
	if n < 2 || m.t.FixedEMI != nil {
		return
	}
	diff := related[n-1].emi.Sub(related[n-2].emi)
	half := int64(n / 2)
	if diff.IsZero() || half == 0 {
		return
	}
	if !diff.Abs().Mul(hundred).GreaterThan(decimal.NewFromInt(half)) {
		return
	}
	original := related[n-2].emi
	adjusted := m.multiples(original.Add(m.r.quo(diff, decimal.NewFromInt(int64(n)), m.r.places)))
	if adjusted.Equal(original) {
		return
	}
	trial := make([]repaymentPeriod, len(m.rps))
	copy(trial, m.rps)
	for i := k; i < len(trial); i++ {
		trial[i].emi = adjusted
	}
	m.components(trial)
	newDiff := trial[len(trial)-1].emi.Sub(trial[len(trial)-2].emi)
	if newDiff.Abs().LessThan(diff.Abs()) {
		copy(m.rps, trial)
	}
}

// factor is the rate factor minus one of the interest period from..to inside rp
// (ProgressiveEMICalculator#calculateRateFactorMinus1PerPeriod):
// rate × (m × every / year) × its days / the repayment period's days, where m is 30 or the length of
// the month the interest period starts in (months), 7 (weeks) or 1 (days) and year is 360/364/365 or
// the length of the year it starts in; with actual days in year across a year end it is
// rate × every × Σ (days in each year / that year's length), the first part ending on 31 December.
// (That "× every" counts a multi-unit period twice over; it is what Fineract does at the reference
// commit and is kept so schedules match.)
// Each operation keeps 12 significant digits and the result is set to 12 decimal places.
func (m *progressiveModel) factor(rp *repaymentPeriod, from, to time.Time) decimal.Decimal {
	r, t := m.r, m.t
	days := daysIn(from, to)
	periodDays := daysIn(rp.from, rp.due)
	if days == 0 || periodDays == 0 {
		return r.scale(decimal.Zero, fineractPrecision)
	}
	if t.DaysInYear == DaysActual && to.Year() > from.Year() {
		fractions := decimal.Zero
		cursor := from
		for y := from.Year(); y <= to.Year(); y++ {
			end := to
			if y < to.Year() {
				end = time.Date(y, time.December, 31, 0, 0, 0, 0, time.UTC)
			}
			fractions = r.add(fractions, r.div(decimal.NewFromInt(int64(daysIn(cursor, end))), decimal.NewFromInt(int64(daysInYearOf(y)))))
			cursor = end
		}
		f := r.mul(r.mul(m.rate, r.mul(m.every, fractions)), one)
		return r.scale(r.div(f, one), fineractPrecision)
	}
	var mult int64
	switch t.RepaymentFrequency {
	case Days:
		mult = 1
	case Weeks:
		mult = 7
	default:
		if t.DaysInMonth == Days30 {
			mult = 30
		} else {
			mult = int64(daysInMonth(from.Year(), from.Month()))
		}
	}
	fraction := r.div(r.mul(decimal.NewFromInt(mult), m.every), decimal.NewFromInt(int64(progressiveYear(t, from))))
	f := r.mul(r.mul(m.rate, fraction), decimal.NewFromInt(int64(days)))
	return r.scale(r.div(f, decimal.NewFromInt(int64(periodDays))), fineractPrecision)
}

// progressiveYear is the progressive engine's days in year: the setting, or for actual the real
// length of the year of date.
func progressiveYear(t Terms, date time.Time) int {
	switch t.DaysInYear {
	case Days360:
		return 360
	case Days364:
		return 364
	case Days365:
		return 365
	default:
		return daysInYearOf(date.Year())
	}
}

// repaidPrefix drops the periods after the one that repays the balance: with a fixed EMI the balance
// may be repaid before the last period, and the cumulative engine stops there too.
func repaidPrefix(rps []repaymentPeriod) []repaymentPeriod {
	for i, rp := range rps {
		if !rp.remaining.IsPositive() {
			return rps[:i+1]
		}
	}
	return rps
}
