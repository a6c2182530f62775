package schedule

import (
	"time"

	"github.com/shopspring/decimal"
)

// Period is one installment of a schedule. Principal, Interest and Fees are what falls due on DueDate;
// Total is their sum and Balance the principal still outstanding after it. Days counts FromDate..DueDate.
// A down payment is a period of its own, due on the disbursement date (zero days, no interest).
type Period struct {
	Number            int
	FromDate, DueDate time.Time
	Days              int
	Principal         decimal.Decimal
	Interest          decimal.Decimal
	Fees              decimal.Decimal
	Total             decimal.Decimal
	Balance           decimal.Decimal

	downPayment bool // carries no fees: it is paid on the spot, before any installment
}

// Schedule is a complete repayment plan. Totals are the sums of the period columns; TotalRepayment is
// what the borrower pays over the life of the loan. NetDisbursed is what the borrower receives:
// principal minus deducted fees. APR is the EU Consumer Credit Directive annual percentage rate in
// percent, rounded to two places.
type Schedule struct {
	Periods        []Period
	TotalPrincipal decimal.Decimal
	TotalInterest  decimal.Decimal
	TotalFees      decimal.Decimal
	TotalRepayment decimal.Decimal
	APR            decimal.Decimal
	NetDisbursed   decimal.Decimal
	// Tranches are the pay-outs the borrower receives (net of deducted fees), used for the APR and payoffs.
	Tranches []Disbursement
}

// Generate validates the terms and computes their schedule with the engine they name.
//
// Fees: every monthly fee is added to each installment's Fees; a financed disbursement fee is added to
// the first installment's Fees (a down payment period, having no interest, never carries it); a
// deducted disbursement fee lowers NetDisbursed instead. All fees are in TotalFees and in the APR.
func Generate(t Terms) (*Schedule, error) {
	t = t.Normalize()
	r := newRounder(t)
	if err := t.validate(r); err != nil {
		return nil, err
	}
	t = asMoney(t, r)
	var s *Schedule
	if t.Engine == EngineProgressive {
		s = generateProgressive(t, r)
	} else {
		s = generateCumulative(t, r)
	}
	applyFees(t, r, s)
	s.APR = APR(s)
	return s, nil
}

// scheduleStart is where the first period begins: the schedule start date when it precedes the
// disbursement, the disbursement otherwise.
func scheduleStart(t Terms) time.Time {
	start := utcDate(t.DisbursementDate)
	if t.ScheduleStartDate != nil && utcDate(*t.ScheduleStartDate).Before(start) {
		return utcDate(*t.ScheduleStartDate)
	}
	return start
}

// finish fills each period's total and the schedule totals from the principal/interest/fee columns.
func finish(s *Schedule, r rounder) {
	if finishInCents(s, r) {
		return
	}
	tp, ti, tf := decimal.Zero, decimal.Zero, decimal.Zero
	for i := range s.Periods {
		p := &s.Periods[i]
		p.Total = r.fixed(p.Principal.Add(p.Interest).Add(p.Fees))
		tp = tp.Add(p.Principal)
		ti = ti.Add(p.Interest)
		tf = tf.Add(p.Fees)
	}
	s.TotalPrincipal = r.fixed(tp)
	s.TotalInterest = r.fixed(ti)
	s.TotalFees = r.fixed(tf)
	s.TotalRepayment = r.fixed(tp.Add(ti).Add(tf))
}

// finishInCents is finish on int64 amounts; equal consecutive totals share one decimal (decimals are
// immutable). It reports false, having changed nothing the decimal path does not redo, when an
// amount is not at the currency scale or a sum would overflow.
func finishInCents(s *Schedule, r rounder) (ok bool) {
	defer func() {
		if rec := recover(); rec != nil {
			if _, isOverflow := rec.(overflow); !isOverflow {
				panic(rec)
			}
			ok = false
		}
	}()
	x := newCentsArith(r)
	var tp, ti, tf cents
	var prev cents
	var prevDec decimal.Decimal
	for i := range s.Periods {
		p := &s.Periods[i]
		pc, ic, fc := x.of(p.Principal), x.of(p.Interest), x.of(p.Fees)
		total := pc.plus(ic).plus(fc)
		if i == 0 || total != prev {
			prev, prevDec = total, x.dec(total)
		}
		p.Total = prevDec
		tp, ti, tf = tp.plus(pc), ti.plus(ic), tf.plus(fc)
	}
	s.TotalPrincipal, s.TotalInterest, s.TotalFees = x.dec(tp), x.dec(ti), x.dec(tf)
	s.TotalRepayment = x.dec(tp.plus(ti).plus(tf))
	return true
}

// asMoney makes the principal and each tranche money in the currency (a zero-decimal currency with a
// multiple rounds them to it, as Fineract's Money does), so the schedule repays exactly the principal.
func asMoney(t Terms, r rounder) Terms {
	if len(t.Disbursements) == 0 {
		t.Principal = r.money(t.Principal)
		return t
	}
	ds := make([]Disbursement, len(t.Disbursements))
	sum := decimal.Zero
	for i, d := range t.Disbursements {
		ds[i] = Disbursement{Date: utcDate(d.Date), Amount: r.money(d.Amount)}
		sum = sum.Add(ds[i].Amount)
	}
	t.Disbursements, t.Principal = ds, sum
	return t
}
