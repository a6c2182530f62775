package providers

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFieldsKeepTheFirstFailure(t *testing.T) {
	var f Fields
	require.Equal(t, "12.50", f.Decimal("amount", " 12.50 ").StringFixed(2))
	require.Equal(t, int64(90000), f.Int64("loan_ref", "90000\n"))
	require.True(t, f.Bool("allowed", "TRUE"))
	require.Equal(t, time.Date(2018, 6, 26, 0, 0, 0, 0, time.UTC), f.Time("date", "26.06.2018", "02.01.2006", time.UTC))
	require.NoError(t, f.Err)

	f.Int("loan_period", "six")
	f.Decimal("amount", "1,5")
	require.EqualError(t, f.Err, `loan_period = "six": strconv.Atoi: parsing "six": invalid syntax`)
}
