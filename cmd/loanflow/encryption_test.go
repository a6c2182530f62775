package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/loanflow/loanflow/internal/encryption"
)

// payloadEncodings walks a message and counts the encodings of the payloads
// in it, leaving out search attributes and headers: Temporal indexes the
// former in clear by design (loanflow's hold no personal data), and the
// latter carry only tracing context.
func payloadEncodings(m protoreflect.Message, counts map[string]int) {
	switch v := m.Interface().(type) {
	case *commonpb.SearchAttributes, *commonpb.Header:
		return
	case *commonpb.Payload:
		counts[string(v.GetMetadata()[converter.MetadataEncoding])]++
		return
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			for i := range v.List().Len() {
				payloadEncodings(v.List().Get(i).Message(), counts)
			}
		case fd.IsMap() && fd.MapValue().Message() != nil:
			v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
				payloadEncodings(mv.Message(), counts)
				return true
			})
		case fd.Message() != nil && !fd.IsMap():
			payloadEncodings(v.Message(), counts)
		}
		return true
	})
}

// TestDevEncryptsHistoriesAndServesMetrics submits a loan through `loanflow dev` and reads
// its history straight from Temporal, as anyone with access to the cluster
// or the UI could: every payload is encrypted and the applicant's identity
// number appears nowhere. Staff read it through the codec endpoint; nobody
// else does. /metrics counts the loan, its requests and the SDK's calls.
func TestDevEncryptsHistoriesAndServesMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server; skipped with -short")
	}
	httpAddr, temporalAddr, uiAddr, metricsAddr, dataDir := freePort(t), freePort(t), freePort(t), freePort(t), t.TempDir()
	p := startDev(t, []string{
		"LOANFLOW_DATA_DIR=" + dataDir, "LOANFLOW_HTTP_ADDR=" + httpAddr,
		"LOANFLOW_DEV_TEMPORAL_ADDR=" + temporalAddr, "LOANFLOW_TEMPORAL_UI_ADDR=" + uiAddr,
		"LOANFLOW_METRICS_ADDR=" + metricsAddr, "LOANFLOW_WORKFLOW_CACHE_SIZE=2",
		"LOANFLOW_DATABASE_URL=", "LOANFLOW_TEMPORAL_ADDRESS=", "LOANFLOW_PAYLOAD_KEYS=",
	})
	base := "http://" + httpAddr
	waitReady(t, base, p)

	info, err := os.Stat(filepath.Join(dataDir, payloadKeyFile))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the dev key file is private")

	const identity = "I12356789T"
	status, loan := request(t, "POST", base+"/v1/loans", "demo", "demo-secret", "encrypted-1", devApplication(identity))
	require.Equal(t, http.StatusCreated, status, "%v", loan)
	ref := int64(loan["ref"].(float64))
	status, loan = request(t, "POST", fmt.Sprintf("%s/backoffice/v1/loans/%d/approve", base, ref), "underwriter", "underwriter-secret", "", map[string]any{})
	require.Equal(t, http.StatusOK, status, "%v", loan)

	t.Run("metrics", func(t *testing.T) {
		resp, err := http.Get("http://" + metricsAddr + "/metrics")
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		body := string(b)
		for _, want := range []string{
			`loanflow_loan_transitions_total{from="SUBMITTED",to="APPROVED"} 1`,
			`loanflow_http_requests_total{method="POST",route="/v1/loans",status="201"} 1`,
			`loanflow_http_request_duration_seconds_bucket{method="POST",route="/backoffice/v1/loans/:ref/approve"`,
			"temporal_request_total{", // the SDK's own, through OpenTelemetry
			"temporal_workflow_task_execution_latency",
		} {
			require.True(t, strings.Contains(body, want), "missing %q in %s", want, body)
		}
	})

	// LOANFLOW_WORKFLOW_CACHE_SIZE (2 here) bounds the loans a dev process
	// keeps in memory, as it does a worker's: the SDK's cache of workflows
	// (which its workers report as temporal_sticky_cache_size) holds at
	// most that many of the loans waiting for a decision.
	t.Run("workflow cache", func(t *testing.T) {
		const waiting = 12
		for i := range waiting {
			status, loan := request(t, "POST", base+"/v1/loans", "demo", "demo-secret", fmt.Sprintf("cache-%d", i), devApplication(fmt.Sprintf("I%08dT", 41000000+i)))
			require.Equal(t, http.StatusCreated, status, "%v", loan)
		}
		cached := scrapeMetric(t, "http://"+metricsAddr+"/metrics", "temporal_sticky_cache_size")
		require.LessOrEqual(t, cached, 3.0, "%d loans waiting, %v workflows cached", waiting, cached)
	})

	// A client without the key: what the cluster stores.
	c, err := client.Dial(client.Options{HostPort: temporalAddr})
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	iter := c.GetWorkflowHistory(ctx, fmt.Sprintf("loan-%d", ref), "", false, 0)
	counts := map[string]int{}
	var encrypted []*commonpb.Payload
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		raw, err := proto.Marshal(ev)
		require.NoError(t, err)
		require.False(t, bytes.Contains(raw, []byte(identity)), "event %d %s holds the identity number in clear", ev.GetEventId(), ev.GetEventType())
		payloadEncodings(ev.ProtoReflect(), counts)
		if in := ev.GetWorkflowExecutionStartedEventAttributes().GetInput(); in != nil {
			encrypted = in.GetPayloads()
		}
	}
	require.Positive(t, counts[encryption.Encoding])
	require.Equal(t, map[string]int{encryption.Encoding: counts[encryption.Encoding]}, counts, "every payload is encrypted")
	require.NotEmpty(t, encrypted)

	codec := func(user, pw string) converter.PayloadCodec {
		return converter.NewRemotePayloadCodec(converter.RemotePayloadCodecOptions{
			Endpoint: base + "/codec",
			ModifyRequest: func(r *http.Request) error {
				if user != "" {
					r.SetBasicAuth(user, pw)
				}
				return nil
			},
		})
	}
	_, err = codec("", "").Decode(encrypted)
	require.ErrorContains(t, err, "Unauthorized")
	_, err = codec("demo", "demo-secret").Decode(encrypted)
	require.ErrorContains(t, err, "Unauthorized", "partners are not staff")
	decoded, err := codec("operations", "operations-secret").Decode(encrypted)
	require.NoError(t, err)
	require.Contains(t, string(decoded[0].GetData()), identity)

	// The embedded UI decodes through the same endpoint.
	resp, err := http.Get("http://" + uiAddr + "/api/v1/settings")
	require.NoError(t, err)
	defer resp.Body.Close()
	settings, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Contains(t, string(settings), base+"/codec")
	require.True(t, strings.Contains(string(settings), `"IncludeCredentials":true`), "%s", settings)
}

// scrapeMetric reads a gauge from a Prometheus endpoint: the largest value
// of its series.
func scrapeMetric(t *testing.T, url, name string) float64 {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	var p expfmt.TextParser
	families, err := p.TextToMetricFamilies(resp.Body)
	require.NoError(t, err)
	f := families[name]
	require.NotNil(t, f, "%s serves no %s", url, name)
	largest := f.GetMetric()[0].GetGauge().GetValue()
	for _, m := range f.GetMetric() {
		largest = max(largest, m.GetGauge().GetValue())
	}
	return largest
}
