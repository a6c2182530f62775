// Package telemetry wires a loanflow process into Prometheus and
// OpenTelemetry: the Temporal SDK's own metrics next to loanflow's on
// /metrics, and traces through HTTP, the Temporal client and the workflows,
// exported over OTLP when the standard OTEL_EXPORTER_OTLP_* variables name
// a collector and not at all otherwise.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"

	"github.com/loanflow/loanflow/internal/metrics"
)

// Telemetry is a process's metric and trace pipeline.
type Telemetry struct {
	tracing  *sdktrace.TracerProvider // nil: tracing off
	temporal client.MetricsHandler
	log      *slog.Logger
}

// sdkMeter bridges the Temporal SDK's metrics into Prometheus. The exporter
// registers on the process's one registry, so it is built once however many
// times Start runs (tests start several stacks in one process).
var sdkMeter = sync.OnceValues(func() (*sdkmetric.MeterProvider, error) {
	exporter, err := otelprom.New(otelprom.WithRegisterer(metrics.Registerer), otelprom.WithoutScopeInfo())
	if err != nil {
		return nil, err
	}
	return sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter)), nil
})

// Start sets up metrics, and tracing when an OTLP endpoint is configured
// (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, with
// OTEL_EXPORTER_OTLP_PROTOCOL grpc or http/protobuf, and the exporters' other
// standard variables); OTEL_SDK_DISABLED=true turns tracing off. service
// names the process in traces unless OTEL_SERVICE_NAME does.
func Start(ctx context.Context, service string, log *slog.Logger) (*Telemetry, error) {
	mp, err := sdkMeter()
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	t := &Telemetry{log: log}
	t.temporal = temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter: mp.Meter("temporal-sdk-go"),
		// Counters as Prometheus counters (temporal_request_total …), the
		// names Temporal's SDK dashboards and alerts use.
		UseMonotonicCounters: true,
		// The SDK's default is to panic: a metric is never worth a crash.
		OnError: func(err error) { log.Warn("temporal sdk metric dropped", "error", err) },
	})
	if !tracingConfigured() {
		return t, nil
	}
	exporter, err := traceExporter(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracing: %w", err)
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(semconv.ServiceName(service)))
	if err != nil {
		return nil, fmt.Errorf("tracing: %w", err)
	}
	if os.Getenv("OTEL_SERVICE_NAME") != "" {
		res = resource.Default() // reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
	}
	t.tracing = sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	otel.SetTracerProvider(t.tracing)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	log.Info("tracing exported over OTLP", "service", service)
	return t, nil
}

func tracingConfigured() bool {
	if strings.EqualFold(os.Getenv("OTEL_SDK_DISABLED"), "true") {
		return false
	}
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// traceExporter honours OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL; both exporters
// read the endpoint, headers, TLS and timeout variables themselves.
func traceExporter(ctx context.Context) (sdktrace.SpanExporter, error) {
	protocol := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if protocol == "" {
		protocol = os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	switch protocol {
	case "", "grpc":
		return otlptracegrpc.New(ctx)
	case "http/protobuf":
		return otlptracehttp.New(ctx)
	}
	return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL %q: want grpc or http/protobuf", protocol)
}

// TemporalOptions adds the SDK's metrics and, when tracing is on, its
// OpenTelemetry interceptor (spans for client calls, workflows and
// activities, carried in Temporal headers) to a client's options.
func (t *Telemetry) TemporalOptions(o *client.Options) error {
	o.MetricsHandler = t.temporal
	if t.tracing == nil {
		return nil
	}
	i, err := temporalotel.NewTracingInterceptor(temporalotel.TracerOptions{})
	if err != nil {
		return fmt.Errorf("temporal tracing: %w", err)
	}
	o.Interceptors = append(o.Interceptors, i)
	return nil
}

// Tracing reports whether spans are exported.
func (t *Telemetry) Tracing() bool { return t.tracing != nil }

// Shutdown flushes the spans not yet exported.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	if t.tracing == nil {
		return nil
	}
	return errors.Join(t.tracing.ForceFlush(ctx), t.tracing.Shutdown(ctx))
}
