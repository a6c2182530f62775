package lending

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestFormatMoney(t *testing.T) {
	for _, c := range []struct {
		in    string
		scale int32
		want  string
	}{
		{"2000", 2, "2,000.00"},
		{"1234567.891", 2, "1,234,567.89"},
		{"-1234.5", 2, "-1,234.50"},
		{"999", 0, "999"},
		{"1000", 0, "1,000"},
		{"0.005", 2, "0.01"},
	} {
		require.Equal(t, c.want, FormatMoney(decimal.RequireFromString(c.in), c.scale), c.in)
	}
	require.Equal(t, "12.500,00", FormatMoneyIn(decimal.RequireFromString("12500"), 2, ".", ","))
	require.Equal(t, "1\u00a0000,50", FormatMoneyIn(decimal.RequireFromString("1000.5"), 2, "\u00a0", ","))
}
