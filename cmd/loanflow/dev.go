package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/loanflow/loanflow/internal/config"
	"github.com/loanflow/loanflow/internal/devstack"
	"github.com/loanflow/loanflow/internal/integrations"
	"github.com/loanflow/loanflow/service"
)

// runDev runs everything in one process: the embedded Temporal server and
// UI (unless LOANFLOW_TEMPORAL_ADDRESS points at a cluster), the worker, the
// API and an SQLite database, all persisted under LOANFLOW_DATA_DIR.
func runDev(logger *slog.Logger, stdout io.Writer) error {
	cfg, err := config.Load(true)
	if err != nil {
		return err
	}
	ctx, stop := signalContext()
	defer stop()
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}

	keys, err := payloadKeys(cfg, true)
	if err != nil {
		return err
	}
	tel, stopTelemetry, err := observe(ctx, cfg, logger, "dev")
	if err != nil {
		return err
	}
	defer stopTelemetry()

	temporalAddr, uiURL, sec := cfg.TemporalAddress, cfg.TemporalUIURL, cfg.TemporalSecurity
	sizeWorkflowCache(cfg)
	if temporalAddr == "" {
		startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		srv, err := devstack.Start(startCtx, devstack.Options{
			DataDir: cfg.DataDir, FrontendAddr: cfg.DevTemporalAddr, UIAddr: cfg.TemporalUIAddr,
			Namespace: cfg.TemporalNamespace, Logger: logger.With("component", "temporal-server"),
			CodecEndpoint: "http://" + displayAddr(cfg.HTTPAddr) + "/codec",
		})
		cancel()
		if err != nil {
			return fmt.Errorf("embedded Temporal: %w", err)
		}
		defer srv.Stop()
		// The embedded server listens on loopback in plaintext.
		temporalAddr, uiURL, sec = srv.FrontendAddr(), srv.UIURL(), config.TemporalSecurity{}
	}

	store, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.SeedDev(ctx); err != nil {
		return fmt.Errorf("seed dev data: %w", err)
	}

	c, err := dialTemporal(ctx, logger, temporalAddr, cfg.TemporalNamespace, sec, keys, tel)
	if err != nil {
		return err
	}
	defer c.Close()
	providers, err := integrations.Build(providerConfig(cfg), integrations.Options{
		Simulate: true, Logger: logger, StateDir: filepath.Join(cfg.DataDir, "simulators"),
	})
	if err != nil {
		return err
	}
	defer providers.Close()
	// The simulated tenants' products are the defaults of a dev stack.
	cfg.LedgerProducts = providers.Ledgers.Products
	if err := service.CheckLedgerProducts(ctx, store, cfg.LedgerProducts); err != nil {
		return err
	}
	rt := runtime{cfg: cfg, store: store, client: c, keys: keys, logger: logger, dev: true}
	w, err := startWorker(ctx, rt, providers)
	if err != nil {
		return err
	}
	defer w.Stop()

	printBanner(stdout, cfg, temporalAddr, uiURL, providers.Simulated)
	if cfg.ConsoleURL == "" {
		cfg.ConsoleURL = "http://" + displayAddr(cfg.HTTPAddr)
	}
	rt.cfg = cfg
	handler, err := rt.router(ctx, uiURL)
	if err != nil {
		return err
	}
	return serveHTTP(ctx, logger, cfg.HTTPAddr, handler)
}

func printBanner(w io.Writer, cfg config.Config, temporalAddr, uiURL string, simulated map[string]string) {
	fmt.Fprintf(w, `
loanflow dev is running (data in %s)
  API          http://%s
  Temporal     %s (namespace %s)
`, cfg.DataDir, displayAddr(cfg.HTTPAddr), temporalAddr, cfg.TemporalNamespace)
	if uiURL != "" {
		fmt.Fprintf(w, "  Temporal UI  %s/namespaces/%s/workflows\n", uiURL, cfg.TemporalNamespace)
	}
	for _, name := range slices.Sorted(maps.Keys(simulated)) {
		fmt.Fprintf(w, "  %-12s %s (simulator)\n", name, simulated[name])
	}
	fmt.Fprint(w, `
Demo credentials (dev only):
  partner     demo / demo-secret            (partner_type post)
  underwriter underwriter / underwriter-secret
  underwriter underwriter2 / underwriter2-secret
  operations  operations / operations-secret
  admin       admin / admin-secret

`)
}

// displayAddr is where a browser on this machine reaches a listen address:
// ":8080" and "0.0.0.0:8080" are "127.0.0.1:8080".
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
