package temporalsetup

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
)

// readyPollInterval is short because the embedded server usually becomes
// healthy within a second or two of starting, and `loanflow dev` waits on it.
const readyPollInterval = 100 * time.Millisecond

// healthCheckTimeout bounds one attempt so a half-open connection cannot eat
// the caller's whole deadline in a single call.
const healthCheckTimeout = 2 * time.Second

// WaitReady polls the frontend's gRPC health check until it reports serving or
// ctx is done; on timeout the error wraps the last health-check failure so the
// caller sees why the server never came up.
func WaitReady(ctx context.Context, c client.Client) error {
	ticker := time.NewTicker(readyPollInterval)
	defer ticker.Stop()
	for {
		attemptCtx, cancel := context.WithTimeout(ctx, healthCheckTimeout)
		_, err := c.CheckHealth(attemptCtx, &client.CheckHealthRequest{})
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("temporal frontend not ready: %w (last health check: %v)", ctx.Err(), err)
		case <-ticker.C:
		}
	}
}
