package loadtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/stretchr/testify/require"
)

func TestReadMemoryFromPrometheusMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer srv.Close()

	m, err := readMemory(context.Background(), http.DefaultClient, srv.URL)
	require.NoError(t, err)
	require.Positive(t, m.RSS)
	require.Positive(t, m.Heap)
	require.Positive(t, m.Stacks)
	require.GreaterOrEqual(t, m.Goroutines, 1.0)

	// A process that does not serve them is named, not read as zero.
	bare := httptest.NewServer(promhttp.HandlerFor(prometheus.NewRegistry(), promhttp.HandlerOpts{}))
	defer bare.Close()
	_, err = readMemory(context.Background(), http.DefaultClient, bare.URL)
	require.ErrorContains(t, err, "does not serve")
	_, err = readMemory(context.Background(), http.DefaultClient, bare.URL+"/nowhere")
	require.Error(t, err)
}
