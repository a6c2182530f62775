package metrics

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/stretchr/testify/require"
)

func TestLoansByBucketAreReadAtEachScrape(t *testing.T) {
	var overdue atomic.Int64
	overdue.Store(2)
	require.NoError(t, RegisterPortfolio(func(context.Context) (map[string]int64, error) {
		return map[string]int64{"current": 7, "31-60": overdue.Load(), "": 1}, nil
	}, slog.Default()))

	body := scrape(t)
	for _, want := range []string{
		`loanflow_loans_by_delinquency_bucket{bucket="current"} 7`,
		`loanflow_loans_by_delinquency_bucket{bucket="31-60"} 2`,
		`loanflow_loans_by_delinquency_bucket{bucket="unknown"} 1`,
		"# TYPE loanflow_loans_by_delinquency_bucket gauge",
	} {
		require.True(t, strings.Contains(body, want), "missing %q in\n%s", want, body)
	}

	overdue.Store(0)
	require.Contains(t, scrape(t), `loanflow_loans_by_delinquency_bucket{bucket="31-60"} 0`, "a cured loan leaves its bucket on the next scrape")
}

func TestAnUnreadablePortfolioFailsTheScrape(t *testing.T) {
	p := &portfolio{
		desc: newPortfolioDesc(),
		source: func(context.Context) (map[string]int64, error) {
			return nil, errors.New("database unreachable")
		},
		log: slog.Default(),
	}
	rec := httptest.NewRecorder()
	reg := newRegistryWith(t, p)
	reg.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusInternalServerError, rec.Code, "Prometheus must see the outage, not zero loans")
	require.Contains(t, rec.Body.String(), "database unreachable")
}

func newRegistryWith(t *testing.T, c prometheus.Collector) http.Handler {
	t.Helper()
	reg := prometheus.NewRegistry()
	require.NoError(t, reg.Register(c))
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.HTTPErrorOnError})
}
