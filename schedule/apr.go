package schedule

import (
	"math"
	"sort"

	"github.com/shopspring/decimal"
)

// daysPerYearCCD is the EU Consumer Credit Directive year (Annex I: 365.25 days, leap years included).
const daysPerYearCCD = 365.25

// APR is the annual percentage rate of charge of a schedule by the EU Consumer Credit Directive
// (2008/48/EC Annex I): the X solving Σ drawdowns·(1+X)^-t = Σ installments·(1+X)^-s, with t and s in
// years of 365.25 days from the first drawdown, every fee included (deducted fees reduce the
// drawdown, financed and monthly fees are in the installments). It returns percent rounded half-up to
// two places ("42.58"), or zero when the borrower repays no more than was paid out.
//
// The equation is evaluated in float64 (a rate, not money), but the answer is bracketed: the root is
// narrowed between two points where the net present value has opposite signs until both round to the
// same two-place percentage, so the figure is the rounding of the true root up to float64's evaluation
// error (about 1e-13 relative, far below the 0.005 % that could change the reported digits).
func APR(s *Schedule) decimal.Decimal {
	if len(s.Tranches) == 0 || len(s.Periods) == 0 {
		return decimal.Zero
	}
	origin := s.Tranches[0].Date
	flows := make([]cashFlow, 0, len(s.Tranches)+len(s.Periods))
	for _, d := range s.Tranches {
		flows = append(flows, cashFlow{days: daysIn(origin, d.Date), amount: -toFloat(d.Amount)})
	}
	for _, p := range s.Periods {
		if !p.Total.IsZero() {
			flows = append(flows, cashFlow{days: daysIn(origin, p.DueDate), amount: toFloat(p.Total)})
		}
	}
	sort.SliceStable(flows, func(i, j int) bool { return flows[i].days < flows[j].days })
	return solveAPR(flows)
}

// toFloat converts money to float64 without going through big.Rat when the coefficient fits int64.
func toFloat(d decimal.Decimal) float64 {
	if d.NumDigits() <= 18 {
		return float64(d.CoefficientInt64()) * math.Pow10(int(d.Exponent()))
	}
	return d.InexactFloat64()
}

type cashFlow struct {
	days   int
	amount float64 // drawdowns negative, repayments positive
}

// npv returns Σ amount·(1+x)^(-days/365.25) and its derivative in x. With v = (1+x)^(-1/365.25) each
// discount factor is the previous one times v^(gap in days); flows are sorted, gaps repeat (28..31
// days), so a handful of Pow calls serve the whole schedule.
func npv(flows []cashFlow, x float64) (f, df float64) {
	v := math.Exp(-math.Log1p(x) / daysPerYearCCD)
	var gapPow [64]float64
	factor, prevDays := 1.0, 0
	for _, c := range flows {
		if gap := c.days - prevDays; gap > 0 {
			if gap < len(gapPow) {
				if gapPow[gap] == 0 {
					gapPow[gap] = math.Pow(v, float64(gap))
				}
				factor *= gapPow[gap]
			} else {
				factor *= math.Pow(v, float64(gap))
			}
			prevDays = c.days
		}
		term := c.amount * factor
		f += term
		df -= term * float64(c.days) / daysPerYearCCD
	}
	return f, df / (1 + x)
}

// solveAPR finds the root of npv, which decreases in x when repayments follow drawdowns. Newton's
// method from 10 % gives a close estimate; a narrow bracket around it is checked for a sign change
// (falling back to a wide one grown until it holds the root) and bisected until both ends agree.
func solveAPR(flows []cashFlow) decimal.Decimal {
	const floor = -0.99
	if f, _ := npv(flows, floor); f <= 0 {
		return decimal.Zero
	}
	if f, _ := npv(flows, 0); f <= 0 {
		return decimal.Zero // repayments do not exceed the drawdowns: no positive cost of credit
	}
	lo, hi := 0.0, 0.1
	if x, ok := newton(flows); ok && x > 0 {
		const delta = 1e-9
		fa, _ := npv(flows, x-delta)
		fb, _ := npv(flows, x+delta)
		if fa > 0 && fb <= 0 {
			lo, hi = x-delta, x+delta
		}
	}
	for {
		f, _ := npv(flows, hi)
		if f <= 0 {
			break
		}
		lo, hi = hi, hi*2+1
		if hi > 1e12 {
			return roundPct(hi)
		}
	}
	for range 200 {
		a, b := roundPct(lo), roundPct(hi)
		if a.Equal(b) {
			return a
		}
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if f, _ := npv(flows, mid); f > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return roundPct(lo + (hi-lo)/2)
}

// newton iterates x -= npv/npv' from 10 %; ok reports convergence inside the domain.
func newton(flows []cashFlow) (float64, bool) {
	x := 0.1
	for range 50 {
		f, df := npv(flows, x)
		if df == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false
		}
		next := x - f/df
		if next <= -0.99 {
			next = (x - 0.99) / 2
		}
		if math.Abs(next-x) < 1e-13*math.Max(1, math.Abs(x)) {
			return next, true
		}
		x = next
	}
	return x, false
}

// roundPct turns a fraction into a percentage rounded half-up to two places, going through the
// shortest decimal representation of the float so 0.425800000001 is not read as 42.5800000001.
func roundPct(x float64) decimal.Decimal {
	return decimal.NewFromFloat(x).Shift(2).Round(2)
}
