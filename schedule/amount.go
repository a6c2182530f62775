package schedule

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/shopspring/decimal"
)

// The cumulative loops are written once against two kinds of amount: decAmount (decimal.Decimal,
// any size) and cents (int64 counts of the currency's smallest unit, for loans that fit, which is
// every real one). Both are exact; cents only avoids allocating a big.Int per operation, which is
// what a 360-period schedule otherwise spends most of its time on. A cents operation that would
// overflow panics with overflow{} and the schedule is computed again with decAmount.

// amount is the arithmetic the cumulative loops do on money.
type amount[A any] interface {
	plus(A) A
	minus(A) A
	sign() int
	cmp(A) int
}

// arith converts and does the roundings that need the rounder.
type arith[A amount[A]] interface {
	zero() A
	of(decimal.Decimal) A // money already at the currency scale
	dec(A) decimal.Decimal
	interest(balance A, rate decimal.Decimal) A // Money.multiplyRetainScale(rate, mc)
	multipleOf(a A, m int64) A
}

// overflow is the panic value of a cents operation that does not fit in int64.
type overflow struct{}

// decAmount is the general amount.
type decAmount struct{ d decimal.Decimal }

func (a decAmount) plus(b decAmount) decAmount  { return decAmount{a.d.Add(b.d)} }
func (a decAmount) minus(b decAmount) decAmount { return decAmount{a.d.Sub(b.d)} }
func (a decAmount) sign() int                   { return a.d.Sign() }
func (a decAmount) cmp(b decAmount) int         { return a.d.Cmp(b.d) }

type decArith struct{ r rounder }

func (x decArith) zero() decAmount                 { return decAmount{x.r.fixed(decimal.Zero)} }
func (x decArith) of(d decimal.Decimal) decAmount  { return decAmount{x.r.fixed(d)} }
func (x decArith) dec(a decAmount) decimal.Decimal { return a.d }
func (x decArith) multipleOf(a decAmount, m int64) decAmount {
	return decAmount{x.r.multipleOf(a.d, m)}
}
func (x decArith) interest(b decAmount, rate decimal.Decimal) decAmount {
	return decAmount{x.r.retain(x.r.mul(b.d, rate))}
}

// cents is an amount in the currency's smallest unit.
type cents int64

func (a cents) plus(b cents) cents {
	s := a + b
	if (s > a) != (b > 0) {
		panic(overflow{})
	}
	return s
}

func (a cents) minus(b cents) cents {
	if b == math.MinInt64 {
		panic(overflow{})
	}
	return a.plus(-b)
}

func (a cents) sign() int {
	switch {
	case a > 0:
		return 1
	case a < 0:
		return -1
	}
	return 0
}

func (a cents) cmp(b cents) int { return (a - b).sign() }

// centsArith does the cents roundings with reusable big.Int scratch space, so computing a period's
// interest allocates nothing once warm.
type centsArith struct {
	r                            rounder
	balance, product, q, rm, one big.Int
	rateCoef                     *big.Int
	rateExp                      int32
	rateOf                       decimal.Decimal
	rateSmall                    uint64 // rateCoef when it fits 64 bits and is positive
	p10                          *[40]u128
}

// u128Powers is 10^0 … 10^39 as u128, shared read-only by every centsArith.
var u128Powers = func() *[40]u128 {
	var p [40]u128
	p[0] = u128{lo: 1}
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1].mul10()
	}
	return &p
}()

func newCentsArith(r rounder) *centsArith {
	x := &centsArith{r: r, p10: u128Powers}
	x.one.SetInt64(1)
	return x
}

func (x *centsArith) zero() cents { return 0 }

func (x *centsArith) of(d decimal.Decimal) cents {
	if d.Exponent() != -x.r.places {
		d = x.r.fixed(d)
	}
	if d.NumDigits() > 18 {
		panic(overflow{})
	}
	return cents(d.CoefficientInt64())
}

func (x *centsArith) dec(a cents) decimal.Decimal { return decimal.New(int64(a), -x.r.places) }

func (x *centsArith) multipleOf(a cents, m int64) cents { return x.of(x.r.multipleOf(x.dec(a), m)) }

// interest is retain(mul12(balance × rate)) on integers: the product's coefficient is rounded to 12
// significant digits, then to the currency scale, then (zero-decimal currencies) to the multiple.
func (x *centsArith) interest(b cents, rate decimal.Decimal) cents {
	if x.rateCoef == nil || rate.Exponent() != x.rateExp || !rate.Equal(x.rateOf) {
		x.rateCoef, x.rateExp, x.rateOf = rate.Coefficient(), rate.Exponent(), rate
		x.rateSmall = 0
		if x.rateCoef.Sign() > 0 && x.rateCoef.IsUint64() {
			x.rateSmall = x.rateCoef.Uint64()
		}
	}
	if v, ok := x.interest128(b); ok {
		return v
	}
	r := x.r
	x.balance.SetInt64(int64(b))
	p := x.product.Mul(&x.balance, x.rateCoef)
	neg := p.Sign() < 0
	p.Abs(p)
	exp := x.rateExp - r.places
	if drop := digits(p, r) - fineractPrecision; drop > 0 {
		x.roundInPlace(p, drop)
		exp += int32(drop)
	}
	if shift := -r.places - exp; shift > 0 {
		x.roundInPlace(p, int(shift))
	} else if shift < 0 {
		p.Mul(p, r.pow(int(-shift)))
	}
	if !p.IsInt64() {
		panic(overflow{})
	}
	v := p.Int64()
	if neg {
		v = -v
	}
	if r.multiples > 0 && v > 0 {
		return x.of(r.money(decimal.New(v, -r.places)))
	}
	return cents(v)
}

// roundInPlace drops the last n digits of the non-negative p with the rounding mode, reusing scratch.
func (x *centsArith) roundInPlace(p *big.Int, n int) {
	div := x.r.pow(n)
	x.q.QuoRem(p, div, &x.rm)
	if x.rm.Sign() != 0 {
		x.rm.Lsh(&x.rm, 1)
		if x.r.roundsUp(x.rm.Cmp(div), &x.q) {
			x.q.Add(&x.q, &x.one)
		}
	}
	p.Set(&x.q)
}

// interest128 is interest on 128-bit integers for the usual case (positive balance, a rate whose
// coefficient fits 64 bits, at most 19 digits to drop at each rounding); ok is false otherwise.
func (x *centsArith) interest128(b cents) (cents, bool) {
	r := x.r
	if b <= 0 || x.rateSmall == 0 || r.multiples > 0 {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(b), x.rateSmall)
	p := u128{hi: hi, lo: lo}
	exp := x.rateExp - r.places
	if drop := p.digits(x.p10) - fineractPrecision; drop > 0 {
		if drop > 19 {
			return 0, false
		}
		p = x.round128(p, drop)
		exp += int32(drop)
	}
	switch shift := -r.places - exp; {
	case shift > 19:
		return 0, false
	case shift > 0:
		p = x.round128(p, int(shift))
	case shift < 0:
		if -shift > 19 || p.hi != 0 {
			return 0, false
		}
		h, l := bits.Mul64(p.lo, x.p10[-shift].lo)
		p = u128{hi: h, lo: l}
	}
	if p.hi != 0 || p.lo > math.MaxInt64 {
		return 0, false
	}
	return cents(p.lo), true
}

// round128 drops the last n (≤ 19) digits of p with the rounding mode.
func (x *centsArith) round128(p u128, n int) u128 {
	d := x.p10[n].lo
	qhi, r1 := p.hi/d, p.hi%d
	qlo, rem := bits.Div64(r1, p.lo, d)
	q := u128{hi: qhi, lo: qlo}
	if rem != 0 {
		cmp := 0
		switch other := d - rem; {
		case rem > other:
			cmp = 1
		case rem < other:
			cmp = -1
		}
		if x.r.roundsUpOdd(cmp, qlo&1 == 1) {
			q = q.inc()
		}
	}
	return q
}

// u128 is an unsigned 128-bit integer.
type u128 struct{ hi, lo uint64 }

func (a u128) mul10() u128 {
	hi, lo := bits.Mul64(a.lo, 10)
	return u128{hi: a.hi*10 + hi, lo: lo}
}

func (a u128) inc() u128 {
	lo, carry := bits.Add64(a.lo, 1, 0)
	return u128{hi: a.hi + carry, lo: lo}
}

func (a u128) less(b u128) bool {
	return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo)
}

// digits counts decimal digits (0 for zero) with the table of powers of ten.
func (a u128) digits(p10 *[40]u128) int {
	if a.hi == 0 && a.lo == 0 {
		return 0
	}
	n := 128 - bits.LeadingZeros64(a.hi)
	if a.hi == 0 {
		n = 64 - bits.LeadingZeros64(a.lo)
	}
	d := int(float64(n-1)*0.30102999566398120) + 1
	if d < len(p10) && !a.less(p10[d]) {
		d++
	}
	return d
}
