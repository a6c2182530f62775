package schedulecmd

import (
	"bytes"
	"encoding/json"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/schedule"
)

// TestFixedIsStringFixed: Fixed writes what decimal's StringFixed writes,
// on the fast path (at the scale, up to 18 digits) and off it.
func TestFixedIsStringFixed(t *testing.T) {
	check := func(d decimal.Decimal, places int32) {
		t.Helper()
		want := d.StringFixed(places)
		require.Equal(t, want, Fixed(d, places), "%s (exp %d) at %d places", d, d.Exponent(), places)
		require.Equal(t, "x"+want, string(AppendFixed([]byte("x"), d, places)))
	}
	for _, s := range []string{"0", "0.00", "-0.00", "0.05", "-0.05", "0.5", "1", "-1", "12.34", "-12.34", "100.00",
		"2215.16", "999999999999999999", "-999999999999999999", "1000000000000000000", "9223372036854775807",
		"-9223372036854775808", "123456789012345678901234567890.12", "0.000000000000000001", "1.005", "-1.005", "2.5"} {
		d := decimal.RequireFromString(s)
		for places := int32(0); places <= 20; places++ {
			check(d, places)
			check(decimal.New(d.CoefficientInt64(), -places), places)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		places := int32(rng.IntN(8))
		v := rng.Int64N(1 << uint(rng.IntN(62)+1))
		if rng.IntN(2) == 0 {
			v = -v
		}
		check(decimal.New(v, -places), places)
		check(decimal.New(v, -int32(rng.IntN(8))), places)
		check(decimal.NewFromBigInt(new(big.Int).Mul(big.NewInt(v), big.NewInt(1e12)), -places-12), places)
	}
}

// TestAppendResultMembersIsNewResult: the members AppendResultMembers
// writes, in braces, are byte for byte encoding/json's NewResult, for every
// calibration vector at its own scale and at others.
func TestAppendResultMembersIsNewResult(t *testing.T) {
	files, err := filepath.Glob("../../schedule/testdata/fineract-*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	n := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		var vectors []struct {
			ID     string         `json:"id"`
			Inputs map[string]any `json:"inputs"`
		}
		require.NoError(t, json.Unmarshal(raw, &vectors))
		for _, v := range vectors {
			body, err := json.Marshal(requestFromFineract(v.Inputs))
			require.NoError(t, err)
			terms, err := ParseRequest(body)
			require.NoError(t, err, v.ID)
			s, err := schedule.Generate(terms)
			require.NoError(t, err, v.ID)
			for _, places := range []int32{terms.Normalize().Currency.DecimalPlaces, 0, 3} {
				want, err := json.Marshal(NewResult(s, places))
				require.NoError(t, err)
				got := append(AppendResultMembers([]byte("{"), s, places), '}')
				require.True(t, bytes.Equal(want, got), "%s at %d places:\nwant %s\ngot  %s", v.ID, places, want, got)
				n++
			}
		}
	}
	require.Greater(t, n, 60, "every vector at three scales")
}
