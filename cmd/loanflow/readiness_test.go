package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/loanflow/loanflow/internal/devstack"
	"github.com/loanflow/loanflow/internal/encryption"
	"github.com/loanflow/loanflow/internal/gateway"
	"github.com/loanflow/loanflow/internal/testkit/testdb"
)

// TestReadinessFollowsTheWorker runs `loanflow worker` as its own process
// against the embedded Temporal server: readiness holds while the worker
// idles through several long polls, and fails within 30 s of a kill -9,
// although the server still lists the dead worker's poller.
func TestReadinessFollowsTheWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a worker process against the embedded Temporal server for about a minute; skipped with -short")
	}
	srv := startTemporal(t)
	env := []string{
		"LOANFLOW_DATABASE_URL=" + testdb.DSN(t, "sqlite"),
		"LOANFLOW_TEMPORAL_ADDRESS=" + srv.FrontendAddr(),
		"LOANFLOW_TEMPORAL_NAMESPACE=default",
		"LOANFLOW_PAYLOAD_KEYS=" + encryption.NewKeySpec("k1"),
		"LOANFLOW_METRICS_ADDR=",
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	code, _, stderr := runCommand(t, "", "migrate")
	require.Equal(t, 0, code, stderr)

	worker := exec.Command(os.Args[0], "worker")
	worker.Env = append(os.Environ(), "LOANFLOW_TEST_RUN_MAIN=1")
	worker.Stdout, worker.Stderr = io.Discard, io.Discard
	require.NoError(t, worker.Start())
	t.Cleanup(func() { _ = worker.Process.Kill(); _ = worker.Wait() })

	c, err := client.Dial(client.Options{HostPort: srv.FrontendAddr()})
	require.NoError(t, err)
	defer c.Close()
	engine := gateway.NewTemporal(c, "default")
	ctx := context.Background()
	require.Eventually(t, func() bool { return engine.Ready(ctx) == nil }, time.Minute, 200*time.Millisecond, "the worker never polled")

	// Idle: no task reaches the queue, so only the server ending polls
	// unanswered renews the worker's access time.
	idleUntil := time.Now().Add(devstack.LongPollExpiration + 10*time.Second)
	for time.Now().Before(idleUntil) {
		require.NoError(t, engine.Ready(ctx), "an idle, live worker")
		time.Sleep(time.Second)
	}

	require.NoError(t, worker.Process.Signal(syscall.SIGKILL))
	killed := time.Now()
	var last error
	require.Eventually(t, func() bool { last = engine.Ready(ctx); return last != nil }, 30*time.Second, 500*time.Millisecond,
		"still ready 30 s after the last worker died")
	t.Logf("not ready %s after the kill: %v", time.Since(killed).Round(time.Second), last)
	require.ErrorContains(t, last, "no worker has polled task queue")
}
