package telemetry

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/loanflow/loanflow/api"
)

// collector is an OTLP/HTTP endpoint that keeps what it is sent.
type collector struct {
	mu     sync.Mutex
	bodies [][]byte
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.bodies = append(c.bodies, b)
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.WriteHeader(http.StatusOK)
}

func (c *collector) received(s string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range c.bodies {
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

func TestTracingIsOffWithoutAnEndpoint(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	tel, err := Start(context.Background(), "loanflow-test", slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	require.False(t, tel.Tracing())
	var o client.Options
	require.NoError(t, tel.TemporalOptions(&o))
	require.NotNil(t, o.MetricsHandler, "the SDK's metrics are served either way")
	require.Empty(t, o.Interceptors)
}

// TestRequestSpansAreExported: with the standard OTLP variables set, an API
// request's span reaches the collector, and Temporal clients get the
// tracing interceptor.
func TestRequestSpansAreExported(t *testing.T) {
	col := &collector{}
	srv := httptest.NewServer(col)
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	t.Setenv("OTEL_SERVICE_NAME", "")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tel, err := Start(context.Background(), "loanflow-test", log)
	require.NoError(t, err)
	require.True(t, tel.Tracing())
	var o client.Options
	require.NoError(t, tel.TemporalOptions(&o))
	require.Len(t, o.Interceptors, 1)

	r := api.NewEngine(log, nil)
	r.GET("/traced/:id", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/traced/1", nil))
	require.NoError(t, tel.Shutdown(context.Background()))
	require.True(t, col.received("/traced/:id"), "the request's span names its route")
	require.True(t, col.received("loanflow-test"), "the service is named")
}

func TestUnknownProtocolIsRefused(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "carrier-pigeon")
	_, err := Start(context.Background(), "loanflow-test", slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.ErrorContains(t, err, "OTEL_EXPORTER_OTLP_PROTOCOL")
}
