package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/loanflow/loanflow/internal/config"
	"github.com/loanflow/loanflow/internal/metrics"
	"github.com/loanflow/loanflow/internal/telemetry"
)

// observe starts a long-running process's telemetry and, when
// LOANFLOW_METRICS_ADDR is set, its /metrics listener; stop closes both,
// flushing the spans not yet exported.
func observe(ctx context.Context, cfg config.Config, logger *slog.Logger, process string) (tel *telemetry.Telemetry, stop func(), err error) {
	if tel, err = telemetry.Start(ctx, "loanflow-"+process, logger); err != nil {
		return nil, nil, err
	}
	flush := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tel.Shutdown(ctx); err != nil {
			logger.Warn("flush traces", "error", err)
		}
	}
	if cfg.MetricsAddr == "" {
		return tel, flush, nil
	}
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		flush()
		return nil, nil, fmt.Errorf("LOANFLOW_METRICS_ADDR: listen on %s: %w", cfg.MetricsAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics listener failed", "error", err)
		}
	}()
	logger.Info("metrics listening", "addr", ln.Addr().String(), "path", "/metrics")
	return tel, func() { _ = srv.Close(); flush() }, nil
}
