package servicing_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/schedule"
	"github.com/loanflow/loanflow/servicing"
)

// Issue 11's first complaint: the demo product's 2,000.00 over 6 months, paid out and settled the
// same day, was charged the whole term's interest (215.16). Its payoff that day is the principal.
func TestDemoProductSettledOnPayoutDay(t *testing.T) {
	payout := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	terms := models.DevProducts()[0].Snapshot().Terms(decimal.NewFromInt(2000), 6, payout)
	s, err := schedule.Generate(terms)
	require.NoError(t, err)
	require.Equal(t, "215.16", s.TotalInterest.StringFixed(2))
	a, err := servicing.Open(terms, s, servicing.Policy{})
	require.NoError(t, err)

	q, err := a.Quote(payout)
	require.NoError(t, err)
	require.Equal(t, "2000.00", q.Total.StringFixed(2))

	res, err := a.Settle(q.Total, payout)
	require.NoError(t, err)
	require.Equal(t, "215.16", res.Unearned.Interest.StringFixed(2))
	require.Equal(t, servicing.StatePaid, a.State())
	require.NoError(t, a.Check())
}
