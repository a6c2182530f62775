package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/testkit/kit"
)

// BenchmarkQuote is POST /v1/quotes through the whole router (the partner's
// Basic auth, the product read, the schedule) against a bare Gin handler
// answering the same JSON, interleaved in one run. x-bare-throughput is
// loanflow's requests/s as a share of the bare handler's (the target is at
// least 0.5).
func BenchmarkQuote(b *testing.B) {
	k, _ := kit.NewScripted(b)
	router := NewRouter(k.Service)
	body := `{"amount":"2000.00","term_months":6}`
	send := func(h http.Handler) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/v1/quotes", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth(demo.User, demo.Password)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("quote: %d %s", w.Code, w.Body)
		}
		return w
	}
	answer := send(router).Body.Bytes()
	bare := gin.New()
	bare.POST("/v1/quotes", func(c *gin.Context) {
		var in map[string]any
		if err := c.ShouldBindJSON(&in); err != nil {
			c.Status(http.StatusBadRequest)
			return
		}
		c.Data(http.StatusOK, "application/json", answer)
	})
	// Interleaved, so both sides see the same machine.
	var real, baseline time.Duration
	for b.Loop() {
		start := time.Now()
		send(router)
		mid := time.Now()
		send(bare)
		real += mid.Sub(start)
		baseline += time.Since(mid)
	}
	b.ReportMetric(float64(baseline)/float64(real), "x-bare-throughput")
	b.ReportMetric(float64(real.Nanoseconds())/float64(b.N), "loanflow-ns/op")
}
