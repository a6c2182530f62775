package devstack

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
)

func TestScratch(t *testing.T) {
	dir := os.Getenv("SCRATCH_DIR")
	if dir == "" {
		t.Skip("scratch")
	}
	ctx := context.Background()
	began := time.Now()
	srv, err := Start(ctx, Options{DataDir: dir, FrontendAddr: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	require.NoError(t, err)
	t.Logf("start %s", time.Since(began))
	if os.Getenv("SCRATCH_RUN") != "" {
		c := dial(t, srv)
		w := worker.New(c, testTaskQueue, worker.Options{})
		w.RegisterWorkflow(greetWorkflow)
		require.NoError(t, w.Start())
		began = time.Now()
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: testTaskQueue}, greetWorkflow, "x")
		require.NoError(t, err)
		require.NoError(t, run.Get(ctx, nil))
		t.Logf("workflow %s", time.Since(began))
		w.Stop()
		c.Close()
	}
	if d, _ := time.ParseDuration(os.Getenv("SCRATCH_WAIT")); d > 0 {
		time.Sleep(d)
	}
	began = time.Now()
	srv.Stop()
	t.Logf("stop %s", time.Since(began))
}
