package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/providers"
	"github.com/loanflow/loanflow/providers/webmoney"
	"github.com/loanflow/loanflow/providers/webmoney/sim"
)

// The dev helpers serve a simulator on a real port, answering the typed
// client with the default lender's credentials.
func TestStartAndSeedDemo(t *testing.T) {
	now := time.Date(2025, 6, 20, 9, 0, 0, 0, time.UTC)
	s := sim.New(sim.Options{Now: func() time.Time { return now }})
	url, stop, err := sim.Start(s, "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(stop)

	ids, err := s.SeedDemo(sim.DevLenderWMID)
	require.NoError(t, err)
	require.Len(t, ids, 5)
	_, err = s.SeedDemo("999999999999")
	require.Error(t, err, "only a lender of the simulator can issue")

	c, err := webmoney.New(webmoney.Config{URL: url, WMID: sim.DevLenderWMID, APIPassword: sim.DevAPIPassword})
	require.NoError(t, err)
	ctx := context.Background()
	credits, err := c.Credits(ctx, now.AddDate(0, 0, -30), now, webmoney.StateAll)
	require.NoError(t, err)
	require.Len(t, credits, 5)
	states := map[webmoney.State]int{}
	for _, cr := range credits {
		states[cr.State]++
		require.False(t, cr.Created.After(now), "credit %d issued in the future", cr.ID)
		require.False(t, cr.Updated.After(now), "credit %d changed in the future", cr.ID)
		require.False(t, cr.Updated.Before(cr.Created), "credit %d changed before it was issued", cr.ID)
		require.False(t, cr.AmountRetRest.IsNegative())
		require.False(t, cr.AmountRetRest.GreaterThan(cr.AmountRet))
		if cr.State.Final() {
			require.True(t, cr.AmountRetRest.IsZero(), "credit %d is closed but owes %s", cr.ID, cr.AmountRetRest)
		}
	}
	require.Equal(t, map[webmoney.State]int{
		webmoney.StatePlanned: 1, webmoney.StateTaken: 2, webmoney.StateRefused: 1, webmoney.StateCompletedEarly: 1,
	}, states)

	// The demo loans move like real ones.
	require.Equal(t, ids[1], credits[1].ID)
	require.NoError(t, s.Repay(ids[1], credits[1].AmountRetRest))
	credits, err = c.Credits(ctx, now.AddDate(0, 0, -30), now, webmoney.StateTaken)
	require.NoError(t, err)
	require.Len(t, credits, 1)

	stop()
	_, err = c.Credits(ctx, now.AddDate(0, 0, -1), now, webmoney.StateAll)
	require.True(t, providers.IsRetryable(err), "a stopped simulator is a connection failure: %v", err)
}
