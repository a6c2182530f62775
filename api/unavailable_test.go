package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
)

// A call the loan engine did not finish in time is a 503 with Retry-After,
// so a client backs off and retries the same request.
func TestTimedOutCallAsksForARetry(t *testing.T) {
	e, _, path := newEnvWithSubmittedLoan(t)
	e.engine.UpdateErr = &failure.Error{Kind: failure.KindUnavailable, Detail: "the loan engine did not answer in time; retry the same request later"}
	res := e.do(request{method: http.MethodPost, path: path("approve"), creds: &underwriter, body: map[string]any{}})
	p := res.problem(t, http.StatusServiceUnavailable)
	require.Equal(t, "5", res.Header().Get("Retry-After"))
	require.Contains(t, p.Detail, "did not answer in time")

	e.engine.UpdateErr = &failure.Error{Kind: failure.KindConflict, Detail: "no"}
	res = e.do(request{method: http.MethodPost, path: path("approve"), creds: &underwriter, body: map[string]any{}})
	res.problem(t, http.StatusConflict)
	require.Empty(t, res.Header().Get("Retry-After"), "only a 503 asks for a retry")
}

// TestReadyzNamesTheMissingMigration: a process on a schema older than its
// code is not ready, and says what to do.
func TestReadyzNamesTheMissingMigration(t *testing.T) {
	e := newEnv(t)
	var last struct {
		Version int64
	}
	require.NoError(t, e.store.DB.Raw("SELECT MAX(version) AS version FROM schema_migrations").Scan(&last).Error)
	require.NoError(t, e.store.DB.Exec("DELETE FROM schema_migrations WHERE version = ?", last.Version).Error)

	p := e.do(request{method: http.MethodGet, path: "/readyz"}).problem(t, http.StatusServiceUnavailable)
	require.Equal(t, []string{"database"}, p.fields())
	require.Contains(t, p.Errors[0].Message, fmt.Sprintf("migration %04d_", last.Version))
	require.Contains(t, p.Errors[0].Message, "loanflow migrate")
}
