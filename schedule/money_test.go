package schedule

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestMoney(t *testing.T) {
	eur := func(mode string) Terms {
		return Terms{Currency: Currency{Code: "EUR", DecimalPlaces: 2}, RoundingMode: mode}
	}
	cases := []struct {
		name        string
		terms       Terms
		round       string // Round of 1.125
		quotient    string // Quotient of 1 / 8
		a, b, exact string // Quotient of a / b, rounded once
	}{
		{"half even", eur(RoundHalfEven), "1.12", "0.12", "2", "3", "0.67"},
		{"half up", eur(RoundHalfUp), "1.13", "0.13", "2", "3", "0.67"},
		{"down", eur(RoundDown), "1.12", "0.12", "2", "3", "0.66"},
		{"up", eur(RoundUp), "1.13", "0.13", "1", "3", "0.34"},
		{"zero value: two places, half even", Terms{}, "1.12", "0.12", "1", "3", "0.33"},
		{"whole units in multiples of 10, ties up", Terms{Currency: Currency{Code: "KES", InMultiplesOf: 10}}, "0", "0", "125", "1", "130"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := MoneyOf(tc.terms)
			require.Equal(t, tc.round, m.Round(dec("1.125")).String())
			require.Equal(t, tc.quotient, m.Quotient(dec("1"), dec("8")).String())
			require.Equal(t, tc.exact, m.Quotient(dec(tc.a), dec(tc.b)).String())
		})
	}
	require.Equal(t, int32(2), MoneyOf(Terms{}).Places())
	// 0.005 is a tie only as the exact quotient 1/200; a rounded intermediate could make it one.
	require.True(t, MoneyOf(Terms{RoundingMode: RoundHalfEven}).Quotient(decimal.NewFromInt(1), decimal.NewFromInt(200)).IsZero())
}
