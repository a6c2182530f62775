package config

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/trustedproxy"
	"github.com/loanflow/loanflow/lending"
)

func TestRedactedDatabaseURLNeverShowsThePassword(t *testing.T) {
	for _, dsn := range []string{
		"postgres://loanflow:s3cret@db:5432/loanflow?sslmode=disable",
		"postgres://db/loanflow?user=u&password=s3cret",
		"postgres://u:p%40s3cret@db/loanflow",
		"postgresql://u:s3cret@db/loanflow?PASSWORD=s3cret",
	} {
		got := Config{DatabaseURL: dsn}.RedactedDatabaseURL()
		require.NotContains(t, got, "s3cret", dsn)
		require.True(t, strings.Contains(got, "db"), got)
	}
	require.Equal(t, "/var/lib/loanflow/loanflow.db", Config{DatabaseURL: "/var/lib/loanflow/loanflow.db"}.RedactedDatabaseURL())
}

func TestLoadDefaultsAndErrors(t *testing.T) {
	t.Setenv("LOANFLOW_DATABASE_URL", "")
	t.Setenv("LOANFLOW_DATA_DIR", "/tmp/lf")
	t.Setenv("LOANFLOW_APPROVAL_TTL", "")
	t.Setenv("LOANFLOW_TEMPORAL_RETENTION", "")
	t.Setenv("LOANFLOW_WORKFLOW_CACHE_SIZE", "")
	t.Setenv("LOANFLOW_CONSOLE_URL", "")
	t.Setenv("LOANFLOW_PARTNER_RATE", "")
	t.Setenv("LOANFLOW_PARTNER_BURST", "")
	for _, unset := range []string{"LOANFLOW_DEV_LISTEN", "LOANFLOW_HTTP_ADDR", "LOANFLOW_TEMPORAL_UI_ADDR", "LOANFLOW_DEV_TEMPORAL_ADDR"} {
		t.Setenv(unset, "")
	}
	c, err := Load(true)
	require.NoError(t, err)
	require.Equal(t, "/tmp/lf/loanflow.db", c.DatabaseURL)
	require.Equal(t, "127.0.0.1:8080", c.HTTPAddr, "dev listens on loopback")
	require.Equal(t, "127.0.0.1:8233", c.TemporalUIAddr)
	require.Equal(t, "127.0.0.1:7233", c.DevTemporalAddr)
	require.Equal(t, "168h0m0s", c.ApprovalTTL.String())
	require.Equal(t, 30*24*time.Hour, c.TemporalRetention)
	require.Equal(t, 100, c.WorkflowCacheSize, "a few times the loans in flight, not the SDK's 10,000")
	require.Empty(t, c.ConsoleURL, "dev fills it in from the API's address")
	require.Equal(t, 20.0, c.PartnerRate)
	require.Equal(t, 40, c.PartnerBurst)

	_, err = Load(false)
	require.ErrorContains(t, err, "LOANFLOW_DATABASE_URL")

	t.Setenv("LOANFLOW_DEV_LISTEN", "0.0.0.0")
	c, err = Load(true)
	require.NoError(t, err)
	require.Equal(t, []string{"0.0.0.0:8080", "0.0.0.0:8233", "0.0.0.0:7233"}, []string{c.HTTPAddr, c.TemporalUIAddr, c.DevTemporalAddr})
	t.Setenv("LOANFLOW_DEV_LISTEN", "everywhere")
	_, err = Load(true)
	require.ErrorContains(t, err, "LOANFLOW_DEV_LISTEN")
	t.Setenv("LOANFLOW_DEV_LISTEN", "")

	t.Setenv("LOANFLOW_APPROVAL_TTL", "soon")
	_, err = Load(true)
	require.ErrorContains(t, err, "LOANFLOW_APPROVAL_TTL")

	t.Setenv("LOANFLOW_APPROVAL_TTL", "24h")
	for _, bad := range []string{"30d", "1h"} {
		t.Setenv("LOANFLOW_TEMPORAL_RETENTION", bad)
		_, err = Load(true)
		require.ErrorContains(t, err, "LOANFLOW_TEMPORAL_RETENTION", bad)
	}
	t.Setenv("LOANFLOW_TEMPORAL_RETENTION", "72h")
	for _, bad := range []string{"0", "-5", "lots"} {
		t.Setenv("LOANFLOW_WORKFLOW_CACHE_SIZE", bad)
		_, err = Load(true)
		require.ErrorContains(t, err, "LOANFLOW_WORKFLOW_CACHE_SIZE", bad)
	}
	t.Setenv("LOANFLOW_WORKFLOW_CACHE_SIZE", "2000")
	for _, bad := range []string{"0", "-1", "fast", "NaN", "Inf"} {
		t.Setenv("LOANFLOW_PARTNER_RATE", bad)
		_, err = Load(true)
		require.ErrorContains(t, err, "LOANFLOW_PARTNER_RATE", bad)
	}
	t.Setenv("LOANFLOW_PARTNER_RATE", "0.5")
	for _, bad := range []string{"0", "-3", "1.5"} {
		t.Setenv("LOANFLOW_PARTNER_BURST", bad)
		_, err = Load(true)
		require.ErrorContains(t, err, "LOANFLOW_PARTNER_BURST", bad)
	}
	t.Setenv("LOANFLOW_PARTNER_BURST", "5")
	t.Setenv("LOANFLOW_CONSOLE_URL", "https://loanflow.example.com")
	t.Setenv("LOANFLOW_DATABASE_URL", "postgres://x@db/l")
	c, err = Load(false)
	require.NoError(t, err)
	require.Equal(t, ":8080", c.HTTPAddr, "production listens on every interface")
	require.ErrorContains(t, c.RequireTemporal(), "LOANFLOW_TEMPORAL_ADDRESS")
	require.Equal(t, 72*time.Hour, c.TemporalRetention)
	require.Equal(t, 2000, c.WorkflowCacheSize)
	require.Equal(t, "https://loanflow.example.com", c.ConsoleURL)
	require.Equal(t, 0.5, c.PartnerRate)
	require.Equal(t, 5, c.PartnerBurst)
}

func TestTrustedProxies(t *testing.T) {
	cases := []struct {
		name, list, legacy string
		want               string // the list as configured
		legacyUsed         bool
		wantErr            bool
	}{
		{"neither: trust no proxy", "", "", "", false, false},
		{"the list", "10.0.0.0/8, 192.168.1.7", "", "10.0.0.0/8,192.168.1.7/32", false, false},
		{"the list wins over the old switch", "10.0.0.0/8", "true", "10.0.0.0/8", false, false},
		{"the old switch alone: loopback and private networks", "", "true", trustedproxy.Private().String(), true, false},
		{"the old switch off", "", "false", "", false, false},
		{"a bad entry", "10.0.0.0/8, lb.internal", "", "", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("LOANFLOW_TRUSTED_PROXIES", tc.list)
			t.Setenv("LOANFLOW_TRUST_PROXY_HEADERS", tc.legacy)
			c, err := Load(true)
			if tc.wantErr {
				require.ErrorContains(t, err, "LOANFLOW_TRUSTED_PROXIES")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, c.TrustedProxies.String())
			require.Equal(t, tc.legacyUsed, c.LegacyProxyTrust)
		})
	}
}

func TestLedgerProductDefaults(t *testing.T) {
	t.Setenv("LOANFLOW_DATABASE_URL", "")
	t.Setenv("LOANFLOW_FINERACT_PRODUCT_ID", "")
	t.Setenv("LOANFLOW_MAMBU_PRODUCT_KEY", "")
	c, err := Load(true)
	require.NoError(t, err)
	require.Equal(t, lending.LedgerProducts{}, c.LedgerProducts, "unset, products must name their own")

	t.Setenv("LOANFLOW_FINERACT_PRODUCT_ID", "7")
	t.Setenv("LOANFLOW_MAMBU_PRODUCT_KEY", "8a8e878e71c7a4d70171ca4a4a7e1b2c")
	c, err = Load(true)
	require.NoError(t, err)
	require.Equal(t, lending.LedgerProducts{FineractProductID: 7, MambuProductKey: "8a8e878e71c7a4d70171ca4a4a7e1b2c"}, c.LedgerProducts)

	for _, bad := range []string{"0", "-3", "one", "1.5"} {
		t.Setenv("LOANFLOW_FINERACT_PRODUCT_ID", bad)
		_, err = Load(true)
		require.ErrorContains(t, err, "LOANFLOW_FINERACT_PRODUCT_ID", bad)
	}
	t.Setenv("LOANFLOW_FINERACT_PRODUCT_ID", "")
	t.Setenv("LOANFLOW_MAMBU_PRODUCT_KEY", "a key with spaces")
	_, err = Load(true)
	require.ErrorContains(t, err, "LOANFLOW_MAMBU_PRODUCT_KEY")
}

func TestWebMoneyTimeZone(t *testing.T) {
	t.Setenv("LOANFLOW_DATABASE_URL", "")
	t.Setenv("LOANFLOW_WEBMONEY_TIMEZONE", "")
	c, err := Load(true)
	require.NoError(t, err)
	require.Equal(t, "Europe/Moscow", c.WebMoneyLocation.String())
	at := time.Date(2026, 1, 15, 12, 0, 0, 0, c.WebMoneyLocation)
	require.Equal(t, 9, at.UTC().Hour(), "Moscow is UTC+3")

	t.Setenv("LOANFLOW_WEBMONEY_TIMEZONE", "Asia/Almaty")
	c, err = Load(true)
	require.NoError(t, err)
	require.Equal(t, "Asia/Almaty", c.WebMoneyLocation.String())

	for _, bad := range []string{"Mars/Olympus", "MSK+3", "Local"} {
		t.Setenv("LOANFLOW_WEBMONEY_TIMEZONE", bad)
		_, err = Load(true)
		require.ErrorContains(t, err, "LOANFLOW_WEBMONEY_TIMEZONE", bad)
	}
}
