package schedule

import (
	"time"

	"github.com/shopspring/decimal"
)

// cumulativeState carries what Fineract's AbstractCumulativeLoanScheduleGenerator fixes before its loop.
type cumulativeState struct {
	t         Terms
	r         rounder
	rates     *cumulativeRates
	spans     []span
	principal decimal.Decimal // amortized principal (after any down payment)
	down      decimal.Decimal // down payment, zero when none
	disbursed time.Time
}

// rawPeriod is a period's amounts before they become decimals.
type rawPeriod[A any] struct {
	sp                           span
	principal, interest, balance A
}

// generateCumulative is Fineract's classic generator: one EMI (or one principal amount, or one flat
// interest amount) fixed up front, interest per period from the periodic rate, the last installment
// taking whatever principal is left. Generation stops early, as Fineract's does, once the balance is
// repaid.
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
	st := &cumulativeState{
		t:         t,
		r:         r,
		rates:     newCumulativeRates(t, r, gridSeed(t).Day()),
		spans:     spans,
		principal: r.money(t.Principal),
		down:      decimal.Zero,
		disbursed: utcDate(t.DisbursementDate),
	}
	if dp := downPaymentAmount(t, r, st.principal); dp.IsPositive() {
		st.principal, st.down = st.principal.Sub(dp), dp
	}
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

// runCumulative runs the generator for one kind of amount and numbers the periods.
func runCumulative[A amount[A], X arith[A]](st *cumulativeState, x X) []Period {
	var raw []rawPeriod[A]
	if st.t.InterestMethod == InterestFlat {
		raw = flatLoop(st, x)
	} else {
		raw = decliningLoop(st, x)
	}
	out := make([]Period, 0, len(raw)+1)
	if st.down.IsPositive() {
		out = append(out, downPaymentPeriod(st.disbursed, st.down, st.principal, st.r.fixed(decimal.Zero)))
	}
	for _, p := range raw {
		out = append(out, Period{FromDate: p.sp.From, DueDate: p.sp.Due, Days: daysIn(p.sp.From, p.sp.Due),
			Principal: x.dec(p.principal), Interest: x.dec(p.interest), Balance: x.dec(p.balance)})
	}
	for i := range out {
		out[i].Number = i + 1
	}
	return out
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

// decliningLoop is the declining-balance generator (equal installments or equal principal).
func decliningLoop[A amount[A], X arith[A]](st *cumulativeState, x X) []rawPeriod[A] {
	t, r := st.t, st.r
	n := len(st.spans)
	out := make([]rawPeriod[A], 0, n)
	zero := x.zero()
	balance := x.of(st.principal)
	deferred := zero // interest carried forward by grace on interest payment

	var emi, fixedPrincipal A
	if t.Amortization == AmortizationEqualPrincipal {
		if p := t.FixedPrincipalPercentage; p != nil {
			fixedPrincipal = x.of(r.money(r.div(st.principal.Mul(*p), hundred)))
		} else {
			fixedPrincipal = x.of(r.money(r.div(st.principal, decimal.NewFromInt(int64(n-t.GraceOnPrincipal)))))
		}
	} else {
		e := pmt(st.rates.forPMT(), n-t.GraceOnPrincipal, st.principal)
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
		own := x.interest(balance, st.rates.forPeriod(st.interestFrom(sp), sp.Due))
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
		if balance.sign() <= 0 {
			break
		}
	}
	if deferred.sign() > 0 {
		last := &out[len(out)-1]
		last.interest = last.interest.plus(deferred)
	}
	return out
}

// flatLoop is the flat-interest generator: the interest of the whole term fixed up front and spread
// over the installments that pay interest.
func flatLoop[A amount[A], X arith[A]](st *cumulativeState, x X) []rawPeriod[A] {
	t, r := st.t, st.r
	n := len(st.spans)
	out := make([]rawPeriod[A], 0, n)
	zero := x.zero()
	h, c, g := t.GraceOnInterestPayment, t.GraceOnInterestCharged, t.GraceOnPrincipal

	// Fineract charges flat interest on the disbursed principal, down payment included
	// (LoanApplicationTerms#calculateTotalFlatInterestDueWithoutGrace reads disbursedPrincipal).
	total := r.retain(r.mul(st.principal.Add(st.down), st.rates.flatTermRate(st.disbursed, st.spans[n-1].Due)))
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

	var perPrincipalDec decimal.Decimal
	if p := t.FixedPrincipalPercentage; p != nil {
		perPrincipalDec = r.money(r.div(st.principal.Mul(*p), hundred))
	} else {
		perPrincipalDec = r.money(r.div(st.principal, decimal.NewFromInt(int64(n-g))))
	}
	perPrincipal := x.of(perPrincipalDec)

	balance := x.of(st.principal)
	charged, deferred := zero, zero
	for i, sp := range st.spans {
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
		if balance.sign() <= 0 {
			break
		}
	}
	if rest := totalCharged.minus(charged); rest.sign() > 0 {
		// Balance repaid before the last period: the interest still owed goes with the last installment.
		last := &out[len(out)-1]
		last.interest = last.interest.plus(rest)
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
