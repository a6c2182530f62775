package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/logging"
	"github.com/loanflow/loanflow/providers/providertest"
)

// counterValue reads a counter of the process's registry by its labels; 0
// when it has not been counted yet.
func counterValue(t *testing.T, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := prometheus.DefaultGatherer.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if hasLabels(m, labels) {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	got := map[string]string{}
	for _, l := range m.GetLabel() {
		got[l.GetName()] = l.GetValue()
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

func TestRequestIDsAndMetrics(t *testing.T) {
	var logs providertest.Log // written by the engine while the test reads it
	log, err := logging.New(&logs, "info", "text")
	require.NoError(t, err)
	r := NewEngine(log, nil)
	r.GET("/things/:id", func(c *gin.Context) {
		log.InfoContext(c, "handling a thing")
		c.Status(http.StatusTeapot)
	})

	tests := []struct {
		name, sent string
		keep       bool
	}{
		{"none sent: one is made", "", false},
		{"a valid one is kept", "lb-7f3a.91:x", true},
		{"an invalid one is replaced", "evil\tvalue with spaces", false},
		{"an overlong one is replaced", strings.Repeat("a", 129), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			labels := map[string]string{"method": "GET", "route": "/things/:id", "status": "418"}
			before := counterValue(t, "loanflow_http_requests_total", labels)
			req := httptest.NewRequest(http.MethodGet, "/things/42", nil)
			if tt.sent != "" {
				req.Header.Set(RequestIDHeader, tt.sent)
			}
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			require.Equal(t, http.StatusTeapot, rec.Code)
			id := rec.Header().Get(RequestIDHeader)
			require.Regexp(t, validRequestID, id)
			if tt.keep {
				require.Equal(t, tt.sent, id)
			} else {
				require.NotEqual(t, tt.sent, id)
			}
			var lines []string
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, "request_id="+id) {
					lines = append(lines, l)
				}
			}
			require.Len(t, lines, 2, "the handler's line and the request line: %s", logs.String())
			require.Contains(t, lines[1], `msg="http request"`)
			require.Equal(t, before+1, counterValue(t, "loanflow_http_requests_total", labels), "counted by route pattern, not path")
		})
	}

	before := counterValue(t, "loanflow_http_requests_total", map[string]string{"route": "unmatched", "status": "404"})
	for _, path := range []string{"/scan/a", "/scan/b"} {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	require.Equal(t, before+2, counterValue(t, "loanflow_http_requests_total", map[string]string{"route": "unmatched", "status": "404"}),
		"unknown paths share one label")
}
