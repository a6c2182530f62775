package schedule

import (
	"math/big"

	"github.com/shopspring/decimal"
)

// fineractPrecision is the significant digits of Fineract's MathContext (MoneyHelper: precision 12, with
// the configured rounding mode). Rates and intermediate products are rounded to it before they become
// money, and that double rounding is part of what makes a schedule match Fineract's to the cent.
const fineractPrecision = 12

// rounder does Fineract's arithmetic: MathContext operations (12 significant digits) and Money
// construction (currency places, the rounding mode, the currency's multiple for zero-decimal
// currencies).
type rounder struct {
	places    int32
	mode      string
	multiples int64 // currency in_multiples_of, effective only when places == 0
}

func newRounder(t Terms) rounder {
	r := rounder{places: t.Currency.DecimalPlaces, mode: t.RoundingMode}
	if t.Currency.DecimalPlaces == 0 {
		r.multiples = t.Currency.InMultiplesOf
	}
	return r
}

// tenPowers is 10^0 … 10^63, so rounding costs one integer division instead of decimal's
// rescale-and-divide. Built once and shared by every schedule: the values are only ever operands,
// which math/big never changes, so concurrent schedules read them safely.
var tenPowers = func() []*big.Int {
	p := make([]*big.Int, 64)
	p[0] = big.NewInt(1)
	ten := big.NewInt(10)
	for i := 1; i < len(p); i++ {
		p[i] = new(big.Int).Mul(p[i-1], ten)
	}
	return p
}()

// pow is 10^n, never to be modified.
func (r rounder) pow(n int) *big.Int {
	if n < len(tenPowers) {
		return tenPowers[n]
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// money is Fineract's Money.of: the currency multiple (zero-decimal currencies, positive amounts,
// nearest multiple with ties up) on the raw amount, then the currency scale with the rounding mode.
func (r rounder) money(d decimal.Decimal) decimal.Decimal {
	if r.multiples > 0 && d.IsPositive() {
		d = nearestMultipleTiesUp(d, r.multiples)
	}
	return r.scale(d, r.places)
}

// retain is Fineract's Money.multiplyRetainScale tail: the currency scale first, then Money.of.
func (r rounder) retain(d decimal.Decimal) decimal.Decimal {
	return r.money(r.scale(d, r.places))
}

// fixed expresses an amount that is already money at the currency scale (for printing and sums).
func (r rounder) fixed(d decimal.Decimal) decimal.Decimal {
	return r.scale(d, r.places)
}

// multipleOf is Money.roundToMultiplesOf for installment_in_multiples_of: divide by m to an integer with
// the rounding mode (312.5 -> 312 under half-even), multiply back, make it money.
func (r rounder) multipleOf(d decimal.Decimal, m int64) decimal.Decimal {
	if m <= 0 {
		return d
	}
	md := decimal.NewFromInt(m)
	return r.money(r.quo(d, md, 0).Mul(md))
}

// mul is BigDecimal.multiply(x, mc).
func (r rounder) mul(a, b decimal.Decimal) decimal.Decimal {
	return r.sig(a.Mul(b))
}

// add is BigDecimal.add(x, mc).
func (r rounder) add(a, b decimal.Decimal) decimal.Decimal {
	return r.sig(a.Add(b))
}

// div is BigDecimal.divide(x, mc): the exact quotient rounded to 12 significant digits.
func (r rounder) div(a, b decimal.Decimal) decimal.Decimal {
	ca, cb := a.Coefficient(), b.Coefficient()
	if ca.Sign() == 0 {
		return decimal.Zero
	}
	neg := (ca.Sign() < 0) != (cb.Sign() < 0)
	ca.Abs(ca)
	cb.Abs(cb)
	// Scale the dividend so the integer quotient carries at least two digits beyond the precision;
	// the remainder then only decides ties, as a sticky bit.
	k := max(0, fineractPrecision+2+digits(cb, r)-digits(ca, r))
	num := new(big.Int).Mul(ca, r.pow(k))
	q, rem := new(big.Int).QuoRem(num, cb, new(big.Int))
	exp := a.Exponent() - b.Exponent() - int32(k)
	if drop := digits(q, r) - fineractPrecision; drop > 0 {
		q, exp = r.roundInt(q, drop, rem.Sign() != 0), exp+int32(drop)
	}
	if neg {
		q.Neg(q)
	}
	return decimal.NewFromBigInt(q, exp)
}

// quo divides exactly and rounds the quotient to places with the rounding mode (BigDecimal.divide
// with a scale and a rounding mode).
func (r rounder) quo(a, b decimal.Decimal, places int32) decimal.Decimal {
	ca, cb := a.Coefficient(), b.Coefficient()
	neg := (ca.Sign() < 0) != (cb.Sign() < 0)
	ca.Abs(ca)
	cb.Abs(cb)
	// a/b = ca/cb · 10^(ea-eb); we want it · 10^places as an integer.
	shift := int(a.Exponent()-b.Exponent()) + int(places)
	if shift >= 0 {
		ca.Mul(ca, r.pow(shift))
	} else {
		cb.Mul(cb, r.pow(-shift))
	}
	q, rem := new(big.Int).QuoRem(ca, cb, new(big.Int))
	if rem.Sign() != 0 {
		c := new(big.Int).Lsh(rem, 1).Cmp(cb)
		if r.roundsUp(c, q) {
			q.Add(q, big.NewInt(1))
		}
	}
	if neg {
		q.Neg(q)
	}
	return decimal.NewFromBigInt(q, -places)
}

// sig rounds to Fineract's 12 significant digits.
func (r rounder) sig(d decimal.Decimal) decimal.Decimal {
	c := d.Coefficient()
	neg := c.Sign() < 0
	c.Abs(c)
	drop := digits(c, r) - fineractPrecision
	if drop <= 0 {
		return d
	}
	q := r.roundInt(c, drop, false)
	if neg {
		q.Neg(q)
	}
	return decimal.NewFromBigInt(q, d.Exponent()+int32(drop))
}

// scale sets d to exactly places decimals with the rounding mode (BigDecimal.setScale).
func (r rounder) scale(d decimal.Decimal, places int32) decimal.Decimal {
	exp := d.Exponent()
	if exp == -places {
		return d
	}
	c := d.Coefficient()
	if exp > -places {
		return decimal.NewFromBigInt(c.Mul(c, r.pow(int(exp+places))), -places)
	}
	neg := c.Sign() < 0
	c.Abs(c)
	q := r.roundInt(c, int(-places-exp), false)
	if neg {
		q.Neg(q)
	}
	return decimal.NewFromBigInt(q, -places)
}

// roundInt drops the last n digits of the non-negative c with the rounding mode; sticky says that
// non-zero digits were already discarded below c (so an apparent tie is really above half).
func (r rounder) roundInt(c *big.Int, n int, sticky bool) *big.Int {
	div := r.pow(n)
	q, rem := new(big.Int).QuoRem(c, div, new(big.Int))
	if rem.Sign() == 0 && !sticky {
		return q
	}
	cmp := new(big.Int).Lsh(rem, 1).Cmp(div)
	if cmp == 0 && sticky {
		cmp = 1
	}
	if r.roundsUp(cmp, q) {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// roundsUp decides whether a magnitude with truncated quotient q and a discarded part compared to half
// (cmp: -1 below, 0 tie, 1 above) moves away from zero. Java's UP and DOWN are away from and towards
// zero, so working on magnitudes covers negative amounts too.
func (r rounder) roundsUp(cmp int, q *big.Int) bool {
	return r.roundsUpOdd(cmp, q.Bit(0) == 1)
}

// roundsUpOdd is roundsUp given whether the truncated quotient is odd.
func (r rounder) roundsUpOdd(cmp int, odd bool) bool {
	switch r.mode {
	case RoundUp:
		return true
	case RoundDown:
		return false
	case RoundHalfUp:
		return cmp >= 0
	default:
		return cmp > 0 || (cmp == 0 && odd)
	}
}

// digits is the number of decimal digits of the non-negative c (0 for zero).
func digits(c *big.Int, r rounder) int {
	if c.Sign() == 0 {
		return 0
	}
	// log10(2) ≈ 0.30103: the estimate is exact or one short; one comparison settles it.
	n := int(float64(c.BitLen()-1)*0.30102999566398120) + 1
	if c.CmpAbs(r.pow(n)) >= 0 {
		n++
	}
	return n
}

// nearestMultipleTiesUp is Fineract's currency in_multiples_of rule (ceiling when equidistant).
func nearestMultipleTiesUp(d decimal.Decimal, m int64) decimal.Decimal {
	md := decimal.NewFromInt(m)
	q := d.Div(md)
	floor := q.Floor().Mul(md)
	ceil := q.Ceil().Mul(md)
	if ceil.Sub(d).GreaterThan(d.Sub(floor)) {
		return floor
	}
	return ceil
}
