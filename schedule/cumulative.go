package schedule

import (
	"time"

	"github.com/shopspring/decimal"
)

// cumulativeState carries what Fineract's AbstractCumulativeLoanScheduleGenerator tracks from period
// to period for one schedule.
type cumulativeState struct {
	t         Terms
	r         rounder
	rates     cumulativeRates
	spans     []span
	principal decimal.Decimal // amortized principal (after any down payment)
	zero      decimal.Decimal
	disbursed time.Time
}

// generateCumulative is Fineract's classic generator: one EMI (or one principal amount, or one flat
// interest amount) fixed up front, interest per period from the periodic rate, the last installment
// taking whatever principal is left. Generation stops early, as Fineract's does, once the balance is
// repaid.
func generateCumulative(t Terms, r rounder) *Schedule {
	start := scheduleStart(t)
	spans := dueDates(start, t.FirstRepaymentDate, t.NumberOfRepayments, t.RepaymentEvery, t.RepaymentFrequency)
	seed := start
	if t.FirstRepaymentDate != nil {
		seed = utcDate(*t.FirstRepaymentDate)
	}
	st := cumulativeState{
		t:         t,
		r:         r,
		rates:     newCumulativeRates(t, r, seed.Day()),
		spans:     spans,
		principal: r.money(t.Principal),
		zero:      r.fixed(decimal.Zero),
		disbursed: utcDate(t.DisbursementDate),
	}
	var periods []Period
	if dp := downPaymentAmount(t, r, st.principal); dp.IsPositive() {
		st.principal = st.principal.Sub(dp)
		periods = append(periods, downPaymentPeriod(st.disbursed, dp, st.principal, st.zero))
	}
	if t.InterestMethod == InterestFlat {
		periods = append(periods, st.flat()...)
	} else {
		periods = append(periods, st.declining()...)
	}
	for i := range periods {
		periods[i].Number = i + 1
	}
	return &Schedule{Periods: periods}
}

// interestFrom is where a period's interest starts: its own start, but never before the money is out.
func (st *cumulativeState) interestFrom(sp span) time.Time {
	if sp.From.Before(st.disbursed) {
		return st.disbursed
	}
	return sp.From
}

func (st *cumulativeState) period(sp span, principal, interest, balance decimal.Decimal) Period {
	return Period{FromDate: sp.From, DueDate: sp.Due, Days: daysIn(sp.From, sp.Due),
		Principal: principal, Interest: interest, Balance: balance}
}

// principalCap is LoanApplicationTerms#adjustPrincipalIfLastRepaymentPeriod: never beyond the principal,
// and the last installment takes exactly what is left.
func (st *cumulativeState) principalCap(principal, repaidBefore decimal.Decimal, last bool) decimal.Decimal {
	remaining := st.principal.Sub(repaidBefore.Add(principal))
	if remaining.IsNegative() || last {
		principal = principal.Add(remaining)
	}
	return principal
}

// declining is the declining-balance generator (equal installments or equal principal).
func (st *cumulativeState) declining() []Period {
	t, r := st.t, st.r
	n := len(st.spans)
	out := make([]Period, 0, n)
	balance := st.principal
	repaid := st.zero
	deferred := st.zero // interest carried forward by grace on interest payment

	var emi, fixedPrincipal decimal.Decimal
	if t.Amortization == AmortizationEqualPrincipal {
		if p := t.FixedPrincipalPercentage; p != nil {
			fixedPrincipal = r.money(r.div(st.principal.Mul(*p), hundred))
		} else {
			fixedPrincipal = r.money(r.div(st.principal, decimal.NewFromInt(int64(n-t.GraceOnPrincipal))))
		}
	} else {
		emi = pmt(st.rates.forPMT(), n-t.GraceOnPrincipal, st.principal)
		if t.InstallmentInMultiplesOf > 0 {
			emi = r.multipleOf(emi, t.InstallmentInMultiplesOf)
		} else {
			emi = r.money(emi)
		}
	}

	for i, sp := range st.spans {
		own := r.retain(r.mul(balance, st.rates.forPeriod(st.interestFrom(sp), sp.Due)))
		charged := own
		if i < t.GraceOnInterestPayment || i < t.GraceOnInterestCharged {
			charged = st.zero
		}
		// LoanApplicationTerms#calculateTotalInterestForPeriod: interest deferred by payment grace is
		// paid with the first installment that charges interest again; interest-free periods defer nothing.
		var interest, nextDeferred decimal.Decimal
		switch {
		case charged.IsPositive():
			interest, nextDeferred = deferred.Add(charged), st.zero
		case i < t.GraceOnInterestCharged:
			interest, nextDeferred = st.zero, deferred
		default:
			interest, nextDeferred = st.zero, deferred.Add(own)
		}
		// The principal is computed against this period's own interest, not the carried part.
		ownInterest := interest.Sub(deferred)
		if !interest.IsPositive() {
			ownInterest = nextDeferred.Sub(deferred)
		}
		deferred = nextDeferred

		principal := st.zero
		if i >= t.GraceOnPrincipal {
			if t.Amortization == AmortizationEqualPrincipal {
				principal = fixedPrincipal
			} else {
				principal = emi.Sub(ownInterest)
			}
		}
		if principal.IsNegative() {
			// Fineract would let the balance grow here (EMI below the period's interest); a schedule
			// with negative principal cannot be offered, so the period repays no principal instead.
			principal = st.zero
		}
		principal = st.principalCap(principal, repaid, i == n-1)
		repaid = repaid.Add(principal)
		balance = balance.Sub(principal)
		out = append(out, st.period(sp, principal, interest, balance))
		if balance.Sign() <= 0 {
			break
		}
	}
	if deferred.IsPositive() {
		last := &out[len(out)-1]
		last.Interest = last.Interest.Add(deferred)
	}
	return out
}

// flat is the flat-interest generator: the interest of the whole term fixed up front and spread over
// the installments that pay interest.
func (st *cumulativeState) flat() []Period {
	t, r := st.t, st.r
	n := len(st.spans)
	out := make([]Period, 0, n)
	last := st.spans[n-1].Due
	h, c, g := t.GraceOnInterestPayment, t.GraceOnInterestCharged, t.GraceOnPrincipal

	total := r.retain(r.mul(st.principal, st.rates.flatTermRate(st.disbursed, last)))
	perInstallment := r.money(r.div(total, decimal.NewFromInt(int64(n))))
	// Interest-free periods reduce the total by their per-installment share.
	totalCharged := total.Sub(r.retain(r.mul(perInstallment, decimal.NewFromInt(int64(c)))))
	// Equal installments average the charged total over the installments that pay interest (payment
	// grace periods pay none and carry nothing forward).
	var averaged decimal.Decimal
	if payers := n - h - c; payers > 0 {
		averaged = r.money(r.div(totalCharged, decimal.NewFromInt(int64(payers))))
	}

	var perPrincipal decimal.Decimal
	if p := t.FixedPrincipalPercentage; p != nil {
		perPrincipal = r.money(r.div(st.principal.Mul(*p), hundred))
	} else {
		perPrincipal = r.money(r.div(st.principal, decimal.NewFromInt(int64(n-g))))
	}

	balance := st.principal
	repaid, charged, deferred := st.zero, st.zero, st.zero
	for i, sp := range st.spans {
		interest := st.zero
		if t.Amortization == AmortizationEqualPrincipal {
			// Flat with equal principal: each installment's share, with payment-grace interest carried
			// to the first installment after the grace.
			switch {
			case i < h:
				deferred = deferred.Add(perInstallment)
			case i < c:
			case i == h && h > 0:
				interest, deferred = deferred.Add(perInstallment), st.zero
			default:
				interest = perInstallment
			}
		} else if i >= h && i >= c {
			interest = averaged
		}

		principal := st.zero
		if i >= g {
			principal = perPrincipal
		}
		if m := t.InstallmentInMultiplesOf; m > 0 {
			principal = r.multipleOf(principal, m).Add(r.multipleOf(interest, m)).Sub(interest)
		}
		if principal.IsNegative() {
			principal = st.zero
		}
		principal = st.principalCap(principal, repaid, i == n-1)

		// LoanApplicationTerms#adjustInterestIfLastRepaymentPeriod: the last installment (or one that
		// would overshoot) makes the interest add up to the total.
		remaining := totalCharged.Sub(charged.Add(interest))
		if remaining.IsNegative() || i == n-1 {
			interest = interest.Add(remaining)
		}
		if interest.IsNegative() {
			interest = st.zero
		}
		charged = charged.Add(interest)
		repaid = repaid.Add(principal)
		balance = balance.Sub(principal)
		out = append(out, st.period(sp, principal, interest, balance))
		if balance.Sign() <= 0 {
			break
		}
	}
	if rest := totalCharged.Sub(charged); rest.IsPositive() {
		// Balance repaid before the last period: the interest still owed goes with the last installment.
		lastP := &out[len(out)-1]
		lastP.Interest = lastP.Interest.Add(rest)
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
