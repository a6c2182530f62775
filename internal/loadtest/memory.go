package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// Memory is what a loanflow process holds, as its /metrics tells it.
type Memory struct {
	// RSS is the resident set: what the operating system gives the
	// process (process_resident_memory_bytes).
	RSS float64
	// Heap is the Go heap in use (go_memstats_heap_inuse_bytes): live
	// objects and garbage not yet collected.
	Heap float64
	// Stacks are the goroutines' stacks (go_memstats_stack_inuse_bytes): a
	// workflow kept in a worker's cache holds its coroutines' stacks.
	Stacks float64
	// Goroutines is go_goroutines.
	Goroutines float64
}

// memoryMetrics are the metrics a Memory is read from.
var memoryMetrics = map[string]func(*Memory) *float64{
	"process_resident_memory_bytes": func(m *Memory) *float64 { return &m.RSS },
	"go_memstats_heap_inuse_bytes":  func(m *Memory) *float64 { return &m.Heap },
	"go_memstats_stack_inuse_bytes": func(m *Memory) *float64 { return &m.Stacks },
	"go_goroutines":                 func(m *Memory) *float64 { return &m.Goroutines },
}

// readMemory scrapes url (a Prometheus text endpoint) for a Memory.
func readMemory(ctx context.Context, c *http.Client, url string) (Memory, error) {
	var m Memory
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return m, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return m, fmt.Errorf("metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return m, fmt.Errorf("metrics: %s answered %d", url, resp.StatusCode)
	}
	families, err := parseMetrics(resp.Body)
	if err != nil {
		return m, fmt.Errorf("metrics: %w", err)
	}
	for name, field := range memoryMetrics {
		f, ok := families[name]
		if !ok || len(f.GetMetric()) == 0 {
			return m, fmt.Errorf("metrics: %s does not serve %s", url, name)
		}
		g := f.GetMetric()[0].GetGauge()
		*field(&m) = g.GetValue()
	}
	return m, nil
}

func parseMetrics(r io.Reader) (map[string]*dto.MetricFamily, error) {
	p := expfmt.TextParser{}
	return p.TextToMetricFamilies(r)
}
