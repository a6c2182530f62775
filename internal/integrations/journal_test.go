package integrations_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/integrations"
	"github.com/loanflow/loanflow/providers/fineract"
	"github.com/loanflow/loanflow/providers/julo"
	"github.com/loanflow/loanflow/providers/providertest"
)

// TestSimulatorsKeepTheirStateAcrossARestart: what the dev stack booked in
// its simulators is there after a restart on the same state dir, so its
// loans go on; a JULO customer can still type the OTP texted before it.
func TestSimulatorsKeepTheirStateAcrossARestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sims")
	var logs providertest.Log
	build := func() *integrations.Set {
		set, err := integrations.Build(integrations.Config{FineractTenant: "default"},
			integrations.Options{Simulate: true, StateDir: dir, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		require.NoError(t, err)
		return set
	}
	ctx := context.Background()

	first := build()
	clientID, err := first.Ledgers.Fineract.EnsureClient(ctx, fineract.NewClient{OfficeID: 1, Firstname: "John", Lastname: "Smith",
		ExternalID: "loanflow-client-1", ActivationDate: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	cust, err := first.Lenders.Julo.Register(ctx, julo.Registration{NIK: "3203020101930001", PIN: "111222", Email: "budi@example.com", Latitude: -6.18, Longitude: 106.72})
	require.NoError(t, err)
	require.NoError(t, first.Lenders.Julo.SendOTP(ctx, cust.ApplicationXID, "081234567890"))
	code, ok := first.Sims.Julo.LastOTP(cust.ApplicationXID)
	require.True(t, ok)
	first.Close()

	info, err := os.Stat(filepath.Join(dir, "julo.jsonl"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the journals hold applicant data")

	logged := strings.Count(logs.String(), "JULO texted OTP")
	second := build()
	defer second.Close()
	require.Equal(t, logged, strings.Count(logs.String(), "JULO texted OTP"), "a replay texts no one")

	found, err := second.Ledgers.Fineract.FindClientByExternalID(ctx, "loanflow-client-1")
	require.NoError(t, err)
	require.Equal(t, clientID, found.ID)
	again, ok := second.Sims.Julo.LastOTP(cust.ApplicationXID)
	require.True(t, ok, "the application is known after the restart")
	require.Equal(t, code, again)
	require.NoError(t, second.Lenders.Julo.ValidateOTP(ctx, cust.ApplicationXID, code))
	// And what the replay rebuilt is recorded once, not twice.
	third := build()
	defer third.Close()
	require.Equal(t, 1, third.Sims.Fineract.Stats().Clients)
}
