package iutewire

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestAmountsAreWrittenAsTheSamples(t *testing.T) {
	tests := map[string]string{
		"5000": "5000.0", "5000.00": "5000.0", "5478.40": "5478.4", "0": "0.0", "0.00": "0.0",
		"1095.68": "1095.68", "12345678.9": "12345678.9", "0.05": "0.05",
		"123456789012345.123456789012": "123456789012345.123456789012",
	}
	for in, want := range tests {
		require.Equal(t, want, FormatAmount(decimal.RequireFromString(in)), in)
	}
}
