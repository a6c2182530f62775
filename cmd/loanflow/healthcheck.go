package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/loanflow/loanflow/internal/config"
)

// runHealthcheck asks the local API's /readyz, or with "metrics" the local
// /metrics listener (a worker serves no API), for container health checks
// in images without curl.
func runHealthcheck(args []string) error {
	cfg, err := config.Load(true)
	if err != nil {
		return err
	}
	addr, path, name := cfg.HTTPAddr, "/readyz", "LOANFLOW_HTTP_ADDR"
	switch {
	case len(args) == 1 && args[0] == "metrics":
		addr, path, name = cfg.MetricsAddr, "/metrics", "LOANFLOW_METRICS_ADDR"
	case len(args) > 0:
		return errors.New("usage: loanflow healthcheck [metrics]")
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get("http://127.0.0.1:" + port + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", path, resp.Status)
	}
	return nil
}
