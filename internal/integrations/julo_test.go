package integrations_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/integrations"
	"github.com/loanflow/loanflow/providers/julo"
	"github.com/loanflow/loanflow/providers/providertest"
)

// TestDevJuloTextsTheOTPToTheLog: in dev, JULO is the simulator, and the
// OTP it "texts" is logged for the developer to type in.
func TestDevJuloTextsTheOTPToTheLog(t *testing.T) {
	var logs providertest.Log
	set, err := integrations.Build(integrations.Config{FineractTenant: "default"}, integrations.Options{Simulate: true, Logger: logs.Logger()})
	require.NoError(t, err)
	t.Cleanup(set.Close)
	require.NotNil(t, set.Sims.Julo)
	require.NotNil(t, set.Lenders.Julo)
	require.Contains(t, set.Simulated, "julo")

	ctx := context.Background()
	c := set.Lenders.Julo
	cust, err := c.Register(ctx, julo.Registration{NIK: "3203020101930001", PIN: "111222", Email: "budi@example.com", Latitude: -6.18, Longitude: 106.72})
	require.NoError(t, err)
	require.NoError(t, c.SendOTP(ctx, cust.ApplicationXID, "081234567890"))
	code, ok := set.Sims.Julo.LastOTP(cust.ApplicationXID)
	require.True(t, ok)
	require.Contains(t, logs.String(), fmt.Sprintf("JULO texted OTP %s for application %d", code, cust.ApplicationXID))
}

func TestConfiguredJuloIsNotSimulated(t *testing.T) {
	set, err := integrations.Build(integrations.Config{FineractTenant: "default", JuloURL: "https://api-staging.julofinance.com", JuloUsername: "partner", JuloSecretKey: "s3cret"},
		integrations.Options{Simulate: true, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	t.Cleanup(set.Close)
	require.Nil(t, set.Sims.Julo)
	require.NotContains(t, set.Simulated, "julo")
	require.NotNil(t, set.Lenders.Julo)

	_, err = integrations.Build(integrations.Config{JuloURL: "https://api-staging.julofinance.com"}, integrations.Options{})
	require.ErrorContains(t, err, "LOANFLOW_JULO_*")

	t.Setenv("LOANFLOW_JULO_URL", "https://api.julo.co.id")
	t.Setenv("LOANFLOW_JULO_USERNAME", "partner")
	t.Setenv("LOANFLOW_JULO_SECRET_KEY", "s3cret")
	cfg := integrations.FromEnv()
	require.Equal(t, [3]string{"https://api.julo.co.id", "partner", "s3cret"}, [3]string{cfg.JuloURL, cfg.JuloUsername, cfg.JuloSecretKey})
}
