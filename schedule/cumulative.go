package schedule

import (
	"time"

	"github.com/shopspring/decimal"
)

// cumulativeState carries what Fineract's AbstractCumulativeLoanScheduleGenerator fixes before its loop.
type cumulativeState struct {
	t     Terms
	r     rounder
	rates *cumulativeRates
	spans []span
	// initial are the tranches paid out on the schedule start, later the others in date order.
	initial, later []trancheGroup
	// principal is what is amortized from the first period: the initial tranches net of their down
	// payments. amortized is the whole principal net of its down payment, what Fineract fixes the
	// EMI and the equal principal on before its loop, whenever the tranches come. total is the whole
	// principal, down payments included, which flat interest is charged on.
	principal, amortized, total decimal.Decimal
	disbursed                   time.Time
}

// rawPeriod is a period's amounts before they become decimals.
type rawPeriod[A any] struct {
	sp                           span
	principal, interest, balance A
}

// generateCumulative is Fineract's classic generator: one EMI (or one principal amount, or one flat
// interest amount) fixed up front, interest per period from the periodic rate, the last installment
// taking whatever principal is left. Generation stops early, as Fineract's does, once the balance is
// repaid and no tranche is still to come.
//
// Several tranches follow AbstractCumulativeLoanScheduleGenerator: each is taken in by the period it
// falls in (see trancheGroups) with a down payment installment of its own; the EMI and the equal
// principal stay those of the whole principal; a declining balance accrues interest on a tranche from
// its date; flat interest is charged on the whole principal over the whole term, and flat principal
// is a share of what has been paid out so far.
func generateCumulative(t Terms, r rounder) *Schedule {
	st := cumulativeStateFor(t, r)
	periods, ok := st.inCents()
	if !ok {
		periods = runCumulative(st, decArith{r})
	}
	return &Schedule{Periods: periods}
}

func cumulativeStateFor(t Terms, r rounder) *cumulativeState {
	spans := repaymentSpans(t, scheduleStart(t))
	total := r.money(t.Principal)
	st := &cumulativeState{
		t:         t,
		r:         r,
		rates:     newCumulativeRates(t, r, gridSeed(t).Day()),
		spans:     spans,
		principal: r.fixed(decimal.Zero),
		amortized: total.Sub(downPaymentAmount(t, r, total)),
		total:     total,
		disbursed: utcDate(t.DisbursementDate),
	}
	groups := trancheGroups(t, r, spans)
	split := 0
	for split < len(groups) && groups[split].period < 0 {
		st.principal = st.principal.Add(groups[split].net)
		split++
	}
	st.initial, st.later = groups[:split], groups[split:]
	return st
}

// inCents runs the loops on int64 amounts; ok is false if an amount outgrew int64.
func (st *cumulativeState) inCents() (periods []Period, ok bool) {
	defer func() {
		if rec := recover(); rec != nil {
			if _, isOverflow := rec.(overflow); !isOverflow {
				panic(rec)
			}
			periods, ok = nil, false
		}
	}()
	return runCumulative(st, newCentsArith(st.r)), true
}

// runCumulative runs the generator for one kind of amount, puts each tranche's down payment
// installments before the period that takes the tranche in, and numbers the periods.
func runCumulative[A amount[A], X arith[A]](st *cumulativeState, x X) []Period {
	var raw []rawPeriod[A]
	var before []A
	if st.t.InterestMethod == InterestFlat {
		raw, before = flatLoop(st, x)
	} else {
		raw, before = decliningLoop(st, x)
	}
	zero := st.r.fixed(decimal.Zero)
	out := make([]Period, 0, len(raw)+len(st.initial)+len(st.later))
	balance := zero
	for _, g := range st.initial {
		out = append(out, g.downPaymentPeriods(balance, zero)...)
		balance = balance.Add(g.net)
	}
	next := 0
	for i, p := range raw {
		for ; next < len(st.later) && st.later[next].period == i; next++ {
			out = append(out, st.later[next].downPaymentPeriods(x.dec(before[next]), zero)...)
		}
		out = append(out, Period{FromDate: p.sp.From, DueDate: p.sp.Due, Days: daysIn(p.sp.From, p.sp.Due),
			Principal: x.dec(p.principal), Interest: x.dec(p.interest), Balance: x.dec(p.balance)})
	}
	for i := range out {
		out[i].Number = i + 1
	}
	return out
}

// arriving returns the later tranche groups that period i takes in, taken being how many earlier
// periods took in.
func (st *cumulativeState) arriving(i, taken int) []trancheGroup {
	end := taken
	for end < len(st.later) && st.later[end].period == i {
		end++
	}
	return st.later[taken:end]
}

// principalShare is one installment's share of base: the fixed principal percentage when one is set
// (Money.percentageOf), otherwise base over the installments that repay principal.
func (st *cumulativeState) principalShare(base decimal.Decimal) decimal.Decimal {
	r := st.r
	if p := st.t.FixedPrincipalPercentage; p != nil {
		return r.money(r.div(base.Mul(*p), hundred))
	}
	return r.money(r.div(base, decimal.NewFromInt(int64(len(st.spans)-st.t.GraceOnPrincipal))))
}

// interestFrom is where a period's interest starts: its own start, but never before the money is out.
func (st *cumulativeState) interestFrom(sp span) time.Time {
	if sp.From.Before(st.disbursed) {
		return st.disbursed
	}
	return sp.From
}

// capPrincipal is LoanApplicationTerms#adjustPrincipalIfLastRepaymentPeriod: never beyond what is
// owed, and the last installment takes exactly what is left.
func capPrincipal[A amount[A]](principal, balance A, last bool) A {
	if last || principal.cmp(balance) > 0 {
		return balance
	}
	return principal
}

// decliningLoop is the declining-balance generator (equal installments or equal principal). It also
// returns the balance just before each later tranche group is paid out.
func decliningLoop[A amount[A], X arith[A]](st *cumulativeState, x X) ([]rawPeriod[A], []A) {
	t, r := st.t, st.r
	n := len(st.spans)
	out := make([]rawPeriod[A], 0, n)
	before := make([]A, 0, len(st.later))
	zero := x.zero()
	balance := x.of(st.principal)
	paidOut := st.principal
	deferred := zero // interest carried forward by grace on interest payment

	// The equal principal is fixed on the whole principal (updateFixedPrincipalAmount), but a fixed
	// percentage is of what has been paid out so far (calculateEqualPrincipalDueForInstallment).
	equalPrincipal := func() A {
		if t.FixedPrincipalPercentage != nil {
			return x.of(st.principalShare(paidOut))
		}
		return x.of(st.principalShare(st.amortized))
	}
	var emi, fixedPrincipal A
	if t.Amortization == AmortizationEqualPrincipal {
		fixedPrincipal = equalPrincipal()
	} else {
		e := pmt(st.rates.forPMT(), n-t.GraceOnPrincipal, st.amortized)
		if t.FixedEMI != nil {
			e = *t.FixedEMI
		} else if t.InstallmentInMultiplesOf > 0 {
			e = r.multipleOf(e, t.InstallmentInMultiplesOf)
		} else {
			e = r.money(e)
		}
		emi = x.of(e)
	}

	for i, sp := range st.spans {
		// A tranche paid out within the period splits its interest: the balance before it up to its
		// date, the balance with it from then on (the disbursements in the generator's principal
		// variations). Each part is rounded on its own, as each is its own Money.
		own, from := zero, st.interestFrom(sp)
		if arriving := st.arriving(i, len(before)); len(arriving) > 0 {
			for _, g := range arriving {
				if g.date.After(from) {
					own = own.plus(x.interest(balance, st.rates.forPeriod(from, g.date)))
					from = g.date
				}
				before = append(before, balance)
				balance = balance.plus(x.of(g.net))
				paidOut = paidOut.Add(g.net)
			}
			if t.Amortization == AmortizationEqualPrincipal {
				fixedPrincipal = equalPrincipal()
			}
		}
		own = own.plus(x.interest(balance, st.rates.forPeriod(from, sp.Due)))
		charged := own
		if i < t.GraceOnInterestPayment || i < t.GraceOnInterestCharged {
			charged = zero
		}
		// LoanApplicationTerms#calculateTotalInterestForPeriod: interest deferred by payment grace is
		// paid with the first installment that charges interest again; interest-free periods defer nothing.
		var interest, nextDeferred A
		switch {
		case charged.sign() > 0:
			interest, nextDeferred = deferred.plus(charged), zero
		case i < t.GraceOnInterestCharged:
			interest, nextDeferred = zero, deferred
		default:
			interest, nextDeferred = zero, deferred.plus(own)
		}
		// The principal is computed against this period's own interest, not the carried part.
		ownInterest := interest.minus(deferred)
		if interest.sign() <= 0 {
			ownInterest = nextDeferred.minus(deferred)
		}
		deferred = nextDeferred

		principal := zero
		if i >= t.GraceOnPrincipal {
			if t.Amortization == AmortizationEqualPrincipal {
				principal = fixedPrincipal
			} else {
				principal = emi.minus(ownInterest)
			}
		}
		if principal.sign() < 0 {
			// Fineract would let the balance grow here (EMI below the period's interest); a schedule
			// with negative principal cannot be offered, so the period repays no principal instead.
			principal = zero
		}
		principal = capPrincipal(principal, balance, i == n-1)
		balance = balance.minus(principal)
		out = append(out, rawPeriod[A]{sp: sp, principal: principal, interest: interest, balance: balance})
		if balance.sign() <= 0 && len(before) == len(st.later) {
			break
		}
	}
	if deferred.sign() > 0 {
		last := &out[len(out)-1]
		last.interest = last.interest.plus(deferred)
	}
	return out, before
}

// flatLoop is the flat-interest generator: the interest of the whole term fixed up front and spread
// over the installments that pay interest. It also returns the balance just before each later
// tranche group is paid out.
func flatLoop[A amount[A], X arith[A]](st *cumulativeState, x X) ([]rawPeriod[A], []A) {
	t, r := st.t, st.r
	n := len(st.spans)
	out := make([]rawPeriod[A], 0, n)
	before := make([]A, 0, len(st.later))
	zero := x.zero()
	h, c, g := t.GraceOnInterestPayment, t.GraceOnInterestCharged, t.GraceOnPrincipal

	// Fineract charges flat interest on the whole disbursed principal, down payments included and
	// whenever the tranches come (LoanApplicationTerms#calculateTotalFlatInterestDueWithoutGrace reads
	// disbursedPrincipal, the principal the terms were built with).
	total := r.retain(r.mul(st.total, st.rates.flatTermRate(st.disbursed, st.spans[n-1].Due)))
	perInstallmentDec := r.money(r.div(total, decimal.NewFromInt(int64(n))))
	// Interest-free periods reduce the total by their per-installment share.
	totalChargedDec := total.Sub(r.retain(r.mul(perInstallmentDec, decimal.NewFromInt(int64(c)))))
	// Equal installments average the charged total over the installments that pay interest (payment
	// grace periods pay none and carry nothing forward).
	averaged := zero
	if payers := n - h - c; payers > 0 {
		averaged = x.of(r.money(r.div(totalChargedDec, decimal.NewFromInt(int64(payers)))))
	}
	perInstallment, totalCharged := x.of(perInstallmentDec), x.of(totalChargedDec)

	// Flat principal is a share of what has been paid out so far
	// (calculateTotalPrincipalPerPeriodWithoutGrace reads the terms' current principal), so it grows
	// with each tranche.
	perPrincipal := x.of(st.principalShare(st.principal))
	balance := x.of(st.principal)
	paidOut := st.principal
	charged, deferred := zero, zero
	for i, sp := range st.spans {
		if arriving := st.arriving(i, len(before)); len(arriving) > 0 {
			for _, tg := range arriving {
				before = append(before, balance)
				balance = balance.plus(x.of(tg.net))
				paidOut = paidOut.Add(tg.net)
			}
			perPrincipal = x.of(st.principalShare(paidOut))
		}
		interest := zero
		if t.Amortization == AmortizationEqualPrincipal {
			// Flat with equal principal: each installment's share, with payment-grace interest carried
			// to the first installment after the grace.
			switch {
			case i < h:
				deferred = deferred.plus(perInstallment)
			case i < c:
			case i == h && h > 0:
				interest, deferred = deferred.plus(perInstallment), zero
			default:
				interest = perInstallment
			}
		} else if i >= h && i >= c {
			interest = averaged
		}

		principal := zero
		if i >= g {
			principal = perPrincipal
		}
		if m := t.InstallmentInMultiplesOf; m > 0 {
			principal = x.multipleOf(principal, m).plus(x.multipleOf(interest, m)).minus(interest)
		}
		if principal.sign() < 0 {
			principal = zero
		}
		principal = capPrincipal(principal, balance, i == n-1)

		// LoanApplicationTerms#adjustInterestIfLastRepaymentPeriod: the last installment (or one that
		// would overshoot) makes the interest add up to the total.
		if remaining := totalCharged.minus(charged.plus(interest)); remaining.sign() < 0 || i == n-1 {
			interest = interest.plus(remaining)
		}
		if interest.sign() < 0 {
			interest = zero
		}
		charged = charged.plus(interest)
		balance = balance.minus(principal)
		out = append(out, rawPeriod[A]{sp: sp, principal: principal, interest: interest, balance: balance})
		if balance.sign() <= 0 && len(before) == len(st.later) {
			break
		}
	}
	if rest := totalCharged.minus(charged); rest.sign() > 0 {
		// Balance repaid before the last period: the interest still owed goes with the last installment.
		last := &out[len(out)-1]
		last.interest = last.interest.plus(rest)
	}
	return out, before
}
