package main

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/loanflow/loanflow/internal/config"
)

// runHealthcheck asks the local API's /readyz, for container health checks
// in images without curl.
func runHealthcheck() error {
	cfg, err := config.Load(true)
	if err != nil {
		return err
	}
	_, port, err := net.SplitHostPort(cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("LOANFLOW_HTTP_ADDR: %w", err)
	}
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get("http://127.0.0.1:" + port + "/readyz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("/readyz answered %s", resp.Status)
	}
	return nil
}
