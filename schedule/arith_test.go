package schedule

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestRounderMatchesJavaBigDecimal(t *testing.T) {
	type op func(r rounder) decimal.Decimal
	cases := []struct {
		name, mode string
		places     int32
		multiples  int64
		do         op
		want       string
	}{
		{"divide to 12 significant digits", RoundHalfEven, 2, 0, func(r rounder) decimal.Decimal { return r.div(dec("1"), dec("3")) }, "0.333333333333"},
		{"divide keeps exact quotients", RoundHalfEven, 2, 0, func(r rounder) decimal.Decimal { return r.div(dec("12"), dec("1200")) }, "0.01"},
		{"divide tie to even", RoundHalfEven, 2, 0, func(r rounder) decimal.Decimal { return r.div(dec("200000000001"), dec("2")) }, "100000000000"},
		{"divide tie half up", RoundHalfUp, 2, 0, func(r rounder) decimal.Decimal { return r.div(dec("200000000001"), dec("2")) }, "100000000001"},
		{"divide rounds to 12 digits whatever the magnitude", RoundHalfEven, 2, 0, func(r rounder) decimal.Decimal { return r.div(dec("2000000000001"), dec("2")) }, "1000000000000"},
		{"significant digits above a tie", RoundHalfEven, 2, 0, func(r rounder) decimal.Decimal { return r.sig(dec("100000000000.50000001")) }, "100000000001"},
		{"multiply to 12 significant digits", RoundHalfEven, 2, 0, func(r rounder) decimal.Decimal { return r.mul(dec("250000.00"), dec("0.00658333333333")) }, "1645.83333333"},
		{"scale half even down", RoundHalfEven, 2, 0, func(r rounder) decimal.Decimal { return r.scale(dec("2.345"), 2) }, "2.34"},
		{"scale half even up", RoundHalfEven, 2, 0, func(r rounder) decimal.Decimal { return r.scale(dec("2.355"), 2) }, "2.36"},
		{"scale half up", RoundHalfUp, 2, 0, func(r rounder) decimal.Decimal { return r.scale(dec("2.345"), 2) }, "2.35"},
		{"scale half up negative", RoundHalfUp, 2, 0, func(r rounder) decimal.Decimal { return r.scale(dec("-2.345"), 2) }, "-2.35"},
		{"scale up is away from zero", RoundUp, 2, 0, func(r rounder) decimal.Decimal { return r.scale(dec("-2.341"), 2) }, "-2.35"},
		{"scale down is towards zero", RoundDown, 2, 0, func(r rounder) decimal.Decimal { return r.scale(dec("2.349"), 2) }, "2.34"},
		{"installment multiple ties to even", RoundHalfEven, 2, 0, func(r rounder) decimal.Decimal { return r.multipleOf(dec("312.5"), 1) }, "312.00"},
		{"installment multiple of 20", RoundHalfEven, 2, 0, func(r rounder) decimal.Decimal { return r.multipleOf(dec("416.67"), 20) }, "420.00"},
		{"currency multiple on the raw amount", RoundHalfEven, 0, 100, func(r rounder) decimal.Decimal { return r.money(dec("416666.67")) }, "416700"},
		{"currency multiple ties up", RoundHalfEven, 0, 100, func(r rounder) decimal.Decimal { return r.money(dec("150")) }, "200"},
		{"currency multiple before scale", RoundHalfEven, 0, 100, func(r rounder) decimal.Decimal { return r.money(dec("149.6")) }, "100"},
		{"retain scales before the multiple", RoundHalfEven, 0, 100, func(r rounder) decimal.Decimal { return r.retain(dec("191666.4")) }, "191700"},
		{"exact quotient to places", RoundHalfEven, 2, 0, func(r rounder) decimal.Decimal { return r.quo(dec("0.05"), dec("6"), 2) }, "0.01"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRounder(Terms{RoundingMode: tc.mode, Currency: Currency{DecimalPlaces: tc.places, InMultiplesOf: tc.multiples}})
			got := tc.do(r)
			require.True(t, dec(tc.want).Equal(got), "want %s, got %s", tc.want, got)
		})
	}
}

// TestInterestFastPathsAgree checks the 128-bit and big.Int cents interest against the decimal one.
func TestInterestFastPathsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	modes := []string{RoundHalfEven, RoundHalfUp, RoundDown, RoundUp}
	for i := range 20000 {
		places := int32(rng.IntN(4))
		r := newRounder(Terms{RoundingMode: modes[rng.IntN(4)], Currency: Currency{DecimalPlaces: places}})
		balance := decimal.New(rng.Int64N(1_000_000_000_000_000), -places)
		rate := decimal.New(rng.Int64N(1_000_000_000_000_00)+1, -int32(4+rng.IntN(16)))
		want := decArith{r}.interest(decAmount{balance}, rate).d
		x := newCentsArith(r)
		got, ok := centsInterest(x, balance, rate)
		if !ok {
			require.Greater(t, want.NumDigits(), 18, "case %d: cents overflowed on %s", i, want)
			continue
		}
		require.True(t, want.Equal(x.dec(got)), "case %d: %s × %s: decimal %s, cents %s", i, balance, rate, want, x.dec(got))
	}
}

// centsInterest is centsArith.interest with its overflow panic turned into ok == false.
func centsInterest(x *centsArith, balance, rate decimal.Decimal) (v cents, ok bool) {
	defer func() {
		if rec := recover(); rec != nil {
			if _, isOverflow := rec.(overflow); !isOverflow {
				panic(rec)
			}
			ok = false
		}
	}()
	return x.interest(x.of(balance), rate), true
}

// TestCentsMatchDecimal runs the cumulative generator both ways on random terms: the int64 path must
// give the decimal path's schedule to the last digit.
func TestCentsMatchDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for i := range 1500 {
		terms := randomValid(rng)
		if terms.Normalize().Engine != EngineCumulative {
			continue
		}
		n := terms.Normalize()
		r := newRounder(n)
		n = asMoney(n, r)
		want := generateCumulative(n, r) // may itself use cents; recompute the decimal way below
		st := *cumulativeStateFor(n, r)
		slow := runCumulative(&st, decArith{r})
		fast, ok := st.inCents()
		require.True(t, ok, "case %d overflowed int64", i)
		require.Equal(t, len(slow), len(fast), "case %d", i)
		require.Equal(t, len(slow), len(want.Periods), "case %d", i)
		for j := range slow {
			for _, f := range []struct {
				name string
				a, b decimal.Decimal
			}{{"principal", slow[j].Principal, fast[j].Principal}, {"interest", slow[j].Interest, fast[j].Interest}, {"balance", slow[j].Balance, fast[j].Balance}} {
				require.True(t, f.a.Equal(f.b), "case %d period %d %s: decimal %s cents %s (%+v)", i, j+1, f.name, f.a, f.b, n)
			}
		}
	}
}

func TestCentsOverflowFallsBack(t *testing.T) {
	terms := Terms{Principal: dec("900000000000000"), DisbursementDate: day("2024-01-01"), NumberOfRepayments: 24,
		InterestRate: dec("9000"), InterestRateFrequency: Years, Currency: Currency{Code: "XXX", DecimalPlaces: 6}}
	s, err := Generate(terms)
	require.NoError(t, err)
	require.NoError(t, checkInvariants(terms, s))
	_, ok := cumulativeStateFor(asMoney(terms.Normalize(), newRounder(terms.Normalize())), newRounder(terms.Normalize())).inCents()
	require.False(t, ok, "expected these amounts to outgrow int64 (%s)", fmt.Sprint(s.TotalInterest))
}
