package api

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"
	"go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin"
	"go.opentelemetry.io/otel"

	"github.com/loanflow/loanflow/internal/logging"
	"github.com/loanflow/loanflow/internal/metrics"
)

// RequestIDHeader names the request id in both directions: a caller (or the
// load balancer in front) may send one, and every answer carries it.
const RequestIDHeader = "X-Request-Id"

// validRequestID is what an incoming id may look like to be kept: short and
// printable, since it is echoed in a header and written in logs.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// observe is the middleware every front end shares for operating the
// service: a trace span per request (exported when OpenTelemetry is
// configured), the request id in the context every log line of the request
// is written with and in the X-Request-Id answer header, and the
// Prometheus metrics by route pattern and status.
func observe() []gin.HandlerFunc {
	return []gin.HandlerFunc{otelgin.Middleware("loanflow", otelgin.WithFilter(traced)), requestID, measure}
}

// untraced is the process's TracerProvider until telemetry installs one,
// which it does only when an OTLP endpoint is configured (with the
// propagator). Until then a span is never recorded, the propagator
// extracts nothing and otelgin's metrics go to the global no-op meter, so
// the middleware passes each request on rather than build the attributes
// of a span no one sees (a twentieth of a quote's time).
var untraced = otel.GetTracerProvider()

// traced reports whether a request's span would be recorded: the global
// provider is checked per request, as otelgin's tracer delegates to
// whatever provider is installed after the engine was built.
func traced(*http.Request) bool { return otel.GetTracerProvider() != untraced }

func requestID(c *gin.Context) {
	id := c.GetHeader(RequestIDHeader)
	if !validRequestID.MatchString(id) {
		b := make([]byte, 16)
		_, _ = rand.Read(b) // never fails (Go ≥ 1.24)
		id = hex.EncodeToString(b)
	}
	c.Header(RequestIDHeader, id)
	c.Request = c.Request.WithContext(logging.WithRequestID(c.Request.Context(), id))
	c.Next()
}

func measure(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = metrics.UnmatchedRoute
	}
	metrics.HTTPRequest(c.Request.Method, route, c.Writer.Status(), time.Since(start))
}
