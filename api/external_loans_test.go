package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
)

// externalT0 is when the first external loan of the tests was issued.
var externalT0 = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

// newExternalLoansEnv is newEnv with six WebMoney loans, issued a day apart, loan 100 taken since.
func newExternalLoansEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	states := []struct {
		code int
		name string
	}{{0, "planned"}, {1, "taken"}, {1, "taken"}, {3, "completed"}, {4, "completed_early"}, {2, "refused"}}
	loans := make([]models.ExternalLoan, len(states))
	for i, st := range states {
		issued := externalT0.AddDate(0, 0, i)
		loans[i] = models.ExternalLoan{
			ExternalID: fmt.Sprint(100 + i), LenderID: "000000000001", BorrowerID: "123456789012",
			SourceAccount: "Z000000000001", DestinationAccount: "Z123456789012", RepaymentAccount: "Z123456789012",
			TransferID: "900001", ContractID: "C-1", Amount: decimal.RequireFromString("100"),
			AmountToRepay: decimal.RequireFromString("110.5"), AmountOutstanding: decimal.RequireFromString("110.50"),
			IssuedAt: issued, DueAt: issued.AddDate(0, 0, 30), ReturnPeriod: 30,
			State: st.code, StateName: st.name, StateChangedAt: issued,
		}
	}
	ctx := context.Background()
	_, _, err := e.store.UpsertExternalLoans(ctx, "webmoney", loans, externalT0.AddDate(0, 0, 6))
	require.NoError(t, err)
	loans[0].State, loans[0].StateName, loans[0].StateChangedAt = 1, "taken", externalT0.AddDate(0, 0, 6)
	_, _, err = e.store.UpsertExternalLoans(ctx, "webmoney", loans, externalT0.AddDate(0, 0, 7))
	require.NoError(t, err)
	return e
}

// externalIDs lists the external_id of a page's items, and its total.
func externalIDs(t *testing.T, r response) ([]string, float64) {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Code, "body: %s", r.Body.String())
	body := r.json(t)
	items := body["items"].([]any)
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.(map[string]any)["external_id"].(string)
	}
	return ids, body["total"].(float64)
}

func TestExternalLoansList(t *testing.T) {
	e := newExternalLoansEnv(t)
	cases := []struct {
		query string
		want  []string
		total float64
	}{
		{"", []string{"105", "104", "103", "102", "101", "100"}, 6},
		{"?source=webmoney", []string{"105", "104", "103", "102", "101", "100"}, 6},
		{"?state=1", []string{"102", "101", "100"}, 3},
		{"?state=taken", []string{"102", "101", "100"}, 3},
		{"?state=TAKEN", []string{"102", "101", "100"}, 3},
		{"?state=3,completed_early", []string{"104", "103"}, 2},
		{"?state=3&state=2", []string{"105", "103"}, 2},
		{"?state=6", []string{}, 0},
		{"?from=2025-03-03", []string{"105", "104", "103", "102"}, 4},
		{"?to=2025-03-02", []string{"101", "100"}, 2},
		{"?from=2025-03-02&to=2025-03-02", []string{"101"}, 1},
		{"?page_size=4", []string{"105", "104", "103", "102"}, 6},
		{"?page_size=4&page=2", []string{"101", "100"}, 6},
		{"?page_size=4&page=3", []string{}, 6},
		{"?state=1&from=2025-03-02&page_size=1&page=2", []string{"101"}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			ids, total := externalIDs(t, e.get(underwriter, "/backoffice/v1/external-loans"+tc.query))
			require.Equal(t, tc.want, ids)
			require.Equal(t, tc.total, total)
		})
	}
}

func TestExternalLoansItemShape(t *testing.T) {
	e := newExternalLoansEnv(t)
	r := e.get(operations, "/backoffice/v1/external-loans?state=planned,taken&to=2025-03-01")
	require.Equal(t, http.StatusOK, r.Code, "body: %s", r.Body.String())
	require.Equal(t, map[string]any{
		"items": []any{map[string]any{
			"source": "webmoney", "external_id": "100",
			"state": float64(1), "state_name": "taken", "state_description": "taken",
			"state_changed_at": "2025-03-07T10:00:00Z",
			"lender_id":        "000000000001", "borrower_id": "123456789012",
			"source_account": "Z000000000001", "destination_account": "Z123456789012", "repayment_account": "Z123456789012",
			"transfer_id": "900001", "contract_id": "C-1",
			"amount": "100.00", "amount_to_repay": "110.50", "amount_outstanding": "110.50",
			"issued_at": "2025-03-01T10:00:00Z", "due_at": "2025-03-31T10:00:00Z", "return_period": float64(30),
			"first_seen_at": "2025-03-07T10:00:00Z", "updated_at": "2025-03-08T10:00:00Z",
		}},
		"page": float64(1), "page_size": float64(models.DefaultListLimit), "total": float64(1),
	}, r.json(t))
}

func TestExternalLoanDetail(t *testing.T) {
	e := newExternalLoansEnv(t)
	body := e.get(operations, "/backoffice/v1/external-loans/webmoney/100")
	require.Equal(t, http.StatusOK, body.Code, "body: %s", body.Body.String())
	got := body.json(t)
	require.Equal(t, "100", got["external_id"])
	require.Equal(t, []any{map[string]any{
		"from_state": float64(0), "from_state_name": "planned", "to_state": float64(1), "to_state_name": "taken",
		"changed_at": "2025-03-07T10:00:00Z", "at": "2025-03-08T10:00:00Z",
	}}, got["events"])

	quiet := e.get(operations, "/backoffice/v1/external-loans/webmoney/101")
	require.Equal(t, http.StatusOK, quiet.Code)
	require.Equal(t, []any{}, quiet.json(t)["events"])

	for _, path := range []string{"/backoffice/v1/external-loans/webmoney/999", "/backoffice/v1/external-loans/other/100"} {
		p := e.get(operations, path).problem(t, http.StatusNotFound)
		require.Equal(t, "no such external loan", p.Detail)
	}
}

func TestExternalLoansBadQuery(t *testing.T) {
	e := newExternalLoansEnv(t)
	cases := []struct {
		query  string
		fields []string
	}{
		{"?state=7", []string{"state"}},
		{"?state=-1", []string{"state"}},
		{"?state=taken,bogus", []string{"state"}},
		{"?source=mambu", []string{"source"}},
		{"?from=2025-13-01", []string{"from"}},
		{"?to=yesterday", []string{"to"}},
		{"?from=2025-03-05&to=2025-03-04", []string{"to"}},
		{"?page=0", []string{"page"}},
		{"?page_size=1000", []string{"page_size"}},
		{"?page=x&page_size=0&state=9&from=x", []string{"page", "page_size", "state", "from"}},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			p := e.get(underwriter, "/backoffice/v1/external-loans"+tc.query).problem(t, http.StatusBadRequest)
			require.Equal(t, "urn:loanflow:problem:invalid-request", p.Type)
			require.Equal(t, tc.fields, p.fields())
		})
	}
}

func TestExternalLoansNeedStaffCredentials(t *testing.T) {
	e := newExternalLoansEnv(t)
	cases := []struct {
		name  string
		creds *creds
	}{
		{"no credentials", nil},
		{"a partner", &demo},
		{"a wrong password", &creds{User: underwriter.User, Password: "wrong"}},
	}
	for _, tc := range cases {
		for _, path := range []string{"/backoffice/v1/external-loans", "/backoffice/v1/external-loans/webmoney/100"} {
			t.Run(tc.name+" "+path, func(t *testing.T) {
				r := e.do(request{method: http.MethodGet, path: path, creds: tc.creds})
				r.problem(t, http.StatusUnauthorized)
				require.True(t, strings.HasPrefix(r.Header().Get("WWW-Authenticate"), "Basic "))
				require.NotContains(t, r.Body.String(), "external_id")
			})
		}
	}
}

// Operations start a WebMoney import now: the engine starts the scheduled
// reconciliation's workflow under an ID of its own namespace, and a retry
// with the same Idempotency-Key joins the same import.
func TestOperationsStartAnImportNow(t *testing.T) {
	e := newEnv(t)
	const path = "/backoffice/v1/external-loans/import"
	key := map[string]string{"Idempotency-Key": "import-2026-12-05"}

	first := e.post(operations, path, nil, key)
	require.Equal(t, http.StatusAccepted, first.Code, first.Body.String())
	require.Empty(t, first.Header().Get("Idempotent-Replayed"))
	got := first.json(t)
	require.Equal(t, "webmoney", got["source"])
	id := got["workflow_id"].(string)
	require.Regexp(t, `^webmoney-import-[0-9a-f]{32}$`, id, "no loan-<ref> or scheduled run's ID, and not the key")
	require.Equal(t, []string{strings.TrimPrefix(id, "webmoney-import-")}, e.engine.Imports())

	again := e.post(operations, path, map[string]any{}, key)
	require.Equal(t, http.StatusAccepted, again.Code, again.Body.String())
	require.Equal(t, "true", again.Header().Get("Idempotent-Replayed"))
	require.Equal(t, id, again.json(t)["workflow_id"], "the same import")

	other := e.post(operations, path, nil, map[string]string{"Idempotency-Key": "import-2"}).json(t)["workflow_id"]
	require.NotEqual(t, id, other)
	plain1 := e.post(operations, path, nil, nil).json(t)["workflow_id"]
	plain2 := e.post(operations, path, nil, nil).json(t)["workflow_id"]
	require.NotEqual(t, plain1, plain2, "without a key each call is an import of its own")
	require.Len(t, e.engine.Imports(), 5)

	for _, who := range []creds{underwriter, admin} {
		e.post(who, path, nil, map[string]string{"Idempotency-Key": "k-" + who.User}).problem(t, http.StatusForbidden)
	}
	p := e.post(operations, path, map[string]any{"window": "24h"}, nil).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"window"}, p.fields())
	require.Len(t, e.engine.Imports(), 5, "nothing started by a refused request")

	// An outage gives the key back: the retry once it ends starts the import.
	e.engine.ImportErr = &failure.Error{Kind: failure.KindUnavailable, Detail: "the loan engine is unavailable, retry later"}
	down := map[string]string{"Idempotency-Key": "during-outage"}
	e.post(operations, path, nil, down).problem(t, http.StatusServiceUnavailable)
	e.engine.ImportErr = nil
	res := e.post(operations, path, nil, down)
	require.Equal(t, http.StatusAccepted, res.Code, res.Body.String())
	require.Empty(t, res.Header().Get("Idempotent-Replayed"))
}
