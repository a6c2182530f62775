package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLoansExpire: a loan no underwriter decides expires when the approval
// TTL runs out, and an authorized loan not paid out within its product's
// cash-release window expires (a window of 0 days: at once); neither can
// be paid out after.
func TestLoansExpire(t *testing.T) {
	s := startStackWith(t, stackOptions{approvalTTL: 5 * time.Second})
	ctx := context.Background()
	consumer, err := s.store.GetProduct(ctx, "consumer")
	require.NoError(t, err)
	consumer.CashReleaseWindowDays = 0
	require.NoError(t, s.store.UpsertProduct(ctx, consumer))

	undecided := submitLoan(t, s, "consumer", "I50000001T")
	authorized := submitLoan(t, s, "consumer", "I50000002T")
	releaseCash(t, s, authorized, "consumer")

	for _, c := range []struct {
		ref      int64
		identity string
		reason   string
		history  string
	}{
		{authorized, "I50000002T", "cash not paid out within the release window", "cash-release-expired"},
		{undecided, "I50000001T", "no decision within the approval SLA", "approval-expired"},
	} {
		waitStatus(t, s, c.ref, "EXPIRED")
		r := s.do(call{method: "GET", path: fmt.Sprintf("/v1/loans/%d", c.ref), user: "demo", pass: "demo-secret"})
		require.Equal(t, c.reason, r.decode(t)["reason"])
		late := s.do(call{method: "POST", path: fmt.Sprintf("/v1/loans/%d/disbursement", c.ref), user: "demo", pass: "demo-secret", json: map[string]any{}})
		require.Equal(t, http.StatusConflict, late.status, string(late.body))
		awaitWorkflowEnd(t, s, c.ref)
		assertExplained(t, s, c.ref, applicationFor("consumer", c.identity))
		recordHistory(t, s, c.ref, c.history)
	}
}
