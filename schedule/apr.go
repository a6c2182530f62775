package schedule

import (
	"math"

	"github.com/shopspring/decimal"
)

// daysPerYearCCD is the EU Consumer Credit Directive year (Annex I: 365.25 days, leap years included).
const daysPerYearCCD = 365.25

// APR is the annual percentage rate of charge of a schedule by the EU Consumer Credit Directive
// (2008/48/EC Annex I): the X solving Σ drawdowns·(1+X)^-t = Σ installments·(1+X)^-s, with t and s in
// years of 365.25 days from the first drawdown, every fee included (deducted fees reduce the
// drawdown, financed and monthly fees are in the installments). It returns percent rounded half-up to
// two places ("42.58").
//
// The root is found on float64 discount factors, but the answer is bracketed exactly: bisection runs
// until both ends of a bracket with opposite signs round to the same two-place percentage, so the
// reported figure is the rounding of the true root (up to float64's 1e-15 relative evaluation error).
func APR(s *Schedule) decimal.Decimal {
	if len(s.Tranches) == 0 || len(s.Periods) == 0 {
		return decimal.Zero
	}
	origin := s.Tranches[0].Date
	flows := make([]cashFlow, 0, len(s.Tranches)+len(s.Periods))
	for _, d := range s.Tranches {
		flows = append(flows, cashFlow{years: float64(daysIn(origin, d.Date)) / daysPerYearCCD, amount: -d.Amount.InexactFloat64()})
	}
	for _, p := range s.Periods {
		if p.Total.IsZero() {
			continue
		}
		flows = append(flows, cashFlow{years: float64(daysIn(origin, p.DueDate)) / daysPerYearCCD, amount: p.Total.InexactFloat64()})
	}
	return solveAPR(flows)
}

type cashFlow struct {
	years  float64
	amount float64 // drawdowns negative, repayments positive
}

// npv is Σ amount·(1+x)^-years, written with one log so each term costs one exp.
func npv(flows []cashFlow, x float64) float64 {
	l := math.Log1p(x)
	sum := 0.0
	for _, f := range flows {
		sum += f.amount * math.Exp(-f.years*l)
	}
	return sum
}

// solveAPR finds the root of npv, which decreases in x whenever repayments come after drawdowns.
// Newton's method gives a close estimate cheaply; a narrow bracket around it is then checked for a
// sign change (falling back to a wide one) and bisected until both ends agree to two places.
func solveAPR(flows []cashFlow) decimal.Decimal {
	if npv(flows, -0.99) <= 0 {
		return decimal.Zero // repayments never exceed the drawdown: no positive cost of credit to report
	}
	lo, hi := -0.99, 0.1
	if x, ok := newton(flows); ok {
		const delta = 1e-9
		if a, b := x-delta, x+delta; a > -0.99 && npv(flows, a) > 0 && npv(flows, b) <= 0 {
			lo, hi = a, b
		}
	}
	for npv(flows, hi) > 0 {
		lo = hi
		hi = hi*2 + 1
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
		if npv(flows, mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return roundPct(lo + (hi-lo)/2)
}

// newton iterates x -= npv/npv' from 10 %; ok reports convergence to a point inside the domain.
func newton(flows []cashFlow) (float64, bool) {
	x := 0.1
	for range 60 {
		l := math.Log1p(x)
		f, df := 0.0, 0.0
		for _, c := range flows {
			e := math.Exp(-c.years * l)
			f += c.amount * e
			df -= c.amount * c.years * e / (1 + x)
		}
		if df == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false
		}
		step := f / df
		next := x - step
		if next <= -0.99 {
			next = (x - 0.99) / 2
		}
		if math.Abs(next-x) < 1e-13 {
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
