package main

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/loanflow/loanflow/internal/loadtest"
)

// BenchmarkProductionShapeLifecycle is `loanflow bench`'s lifecycle on the
// production shape: Temporal on PostgreSQL, the application database on
// PostgreSQL, `serve` and `worker` as processes of their own, and the bare
// workflow's baseline on the same Temporal server in the same run. Run it
// once (it takes whole loans, not one operation):
//
//	LOANFLOW_TEST_POSTGRES_DSN=… go test -run '^$' -bench ProductionShape -benchtime=1x ./cmd/loanflow/
func BenchmarkProductionShapeLifecycle(b *testing.B) {
	d, srv, admin := productionStack(b)
	d.start("worker")
	api := d.serve()
	d.waitReady(api)
	do := func(path string, body any, want int) map[string]any {
		status, got := request(b, "POST", api+path, admin.user, admin.pass, "", body)
		require.Equal(b, want, status, "POST %s: %v", path, got)
		return got
	}
	staff := func(username, role string) loadtest.Credential {
		created := do("/backoffice/v1/staff", map[string]any{"username": username, "name": username, "role": role}, http.StatusCreated)
		return loadtest.Credential{User: username, Secret: created["password"].(string)}
	}
	o := loadtest.Options{
		API: api, Product: "consumer", Loans: 40, Concurrency: 8, Identity: 30000000,
		Underwriter: staff("una", "underwriter"), Operations: staff("otto", "operations"),
	}
	do("/backoffice/v1/products", map[string]any{"code": "consumer", "name": "Consumer loan"}, http.StatusCreated)
	created := do("/backoffice/v1/partners", map[string]any{"username": "shop", "name": "Corner Shop", "partner_type": "retail", "default_product": "consumer"}, http.StatusCreated)
	o.Partner = loadtest.Credential{User: "shop", Secret: created["secret"].(string)}
	// The harness measures throughput: the partner's limit is out of its way.
	do("/backoffice/v1/partners/shop/rate-limit", map[string]any{"rate_per_second": 10000, "burst": 100000}, http.StatusOK)
	c, err := client.Dial(client.Options{HostPort: srv.FrontendAddr(), Namespace: prodNamespace})
	require.NoError(b, err)
	defer c.Close()
	o.Temporal = c

	var rep *loadtest.Report
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		rep, err = loadtest.Run(ctx, o)
		cancel()
		require.NoError(b, err)
		require.Zero(b, rep.Failed, "%v", rep.Errors)
		o.Identity += o.Loans
	}
	rep.Print(os.Stderr)
	b.ReportMetric(rep.LoansPerSecond, "loans/s")
	b.ReportMetric(rep.BareLoansPerSecond, "bare-loans/s")
	b.ReportMetric(rep.LoansPerSecond/rep.BareLoansPerSecond, "x-bare-throughput")
	b.ReportMetric(float64(rep.HistoryEvents), "history-events")
}
