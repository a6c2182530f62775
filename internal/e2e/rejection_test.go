package e2e_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAutoRejectAndCancelOverHTTP: the rules reject a minor's application
// with reason codes; a partner cancels an approved loan, after which every
// further step is a 409.
func TestAutoRejectAndCancelOverHTTP(t *testing.T) {
	s := startStack(t)
	partner := func(c call) reply { c.user, c.pass = "demo", "demo-secret"; return s.do(c) }

	minor := application("2000.00", 6)
	minor["applicant"].(map[string]any)["birth_date"] = "2015-06-01"
	minor["applicant"].(map[string]any)["identity_number"] = "2015060100001"
	r := partner(call{method: "POST", path: "/v1/loans", headers: map[string]string{"Idempotency-Key": "minor"}, json: minor})
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	ref := int64(r.decode(t)["ref"].(float64))
	var loan map[string]any
	eventually(t, "auto-rejection", func() bool {
		loan = partner(call{method: "GET", path: fmt.Sprintf("/v1/loans/%d", ref)}).decode(t)
		return loan["status"] == "AUTO_REJECTED"
	})
	require.Equal(t, []any{"UNDER_AGE"}, loan["reason_codes"])
	recordHistory(t, s, ref, "auto-rejected")

	r = partner(call{method: "POST", path: "/v1/loans", headers: map[string]string{"Idempotency-Key": "to-cancel"}, json: application("3000.00", 12)})
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	ref = int64(r.decode(t)["ref"].(float64))
	ap := s.do(call{method: "POST", path: fmt.Sprintf("/backoffice/v1/loans/%d/approve", ref), user: "underwriter", pass: "underwriter-secret", json: map[string]any{}})
	require.Equal(t, http.StatusOK, ap.status, string(ap.body))
	c := partner(call{method: "POST", path: fmt.Sprintf("/v1/loans/%d/cancel", ref), json: map[string]any{}})
	require.Equal(t, http.StatusOK, c.status, string(c.body))
	require.Equal(t, "CANCELLED", c.decode(t)["status"])
	// A retried cancel answers the cancelled loan again.
	again := partner(call{method: "POST", path: fmt.Sprintf("/v1/loans/%d/cancel", ref), json: map[string]any{}})
	require.Equal(t, http.StatusOK, again.status, string(again.body))
	require.Equal(t, "CANCELLED", again.decode(t)["status"])
	for _, step := range []call{
		{method: "POST", path: fmt.Sprintf("/v1/loans/%d/disbursement", ref), json: map[string]any{}},
		{method: "GET", path: fmt.Sprintf("/v1/loans/%d/agreement", ref)},
	} {
		got := partner(step)
		require.Equal(t, http.StatusConflict, got.status, "%s %s: %s", step.method, step.path, got.body)
		require.Equal(t, "application/problem+json", got.header.Get("Content-Type"))
	}
	recordHistory(t, s, ref, "cancelled")
}
