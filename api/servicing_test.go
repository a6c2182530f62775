package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
)

// The servicing routes over the real workflow: what a partner and the back
// office send and read after pay-out. The money rules themselves are the
// servicing package's and the workflow's tests; these check the contract.

func loanPath(prefix string, ref int64, action string) string {
	if action == "" {
		return fmt.Sprintf("%s/loans/%d", prefix, ref)
	}
	return fmt.Sprintf("%s/loans/%d/%s", prefix, ref, action)
}

// payoffOf decodes a payoff quote.
func payoffOf(t *testing.T, r response) payoffJSON {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Code, r.Body.String())
	var q payoffJSON
	require.NoError(t, json.Unmarshal(r.Body.Bytes(), &q))
	return q
}

func TestPayoffQuoteAndSettlement(t *testing.T) {
	e, k := newWorkflowEnv(t)
	l := k.LoanIn(lending.StatusActive, "2000")
	path := loanPath("/v1", l.Ref, "payoff")

	// Paid out today: the principal alone settles it; later interest is
	// never charged.
	q := payoffOf(t, e.get(demo, path))
	require.Equal(t, payoffJSON{AsOf: "2025-03-10", Principal: "2000.00", Interest: "0.00", Fees: "0.00", Penalties: "0.00",
		EarlyRepaymentFee: "0.00", Total: "2000.00"}, q)
	later := payoffOf(t, e.get(demo, path+"?as_of=2025-04-09"))
	require.Equal(t, "2025-04-09", later.AsOf)
	require.True(t, decimal.RequireFromString(later.Interest).IsPositive(), "a month's interest accrues: %+v", later)
	require.Equal(t, later.Total, decimal.RequireFromString(later.Principal).Add(decimal.RequireFromString(later.Interest)).StringFixed(2))
	require.Equal(t, http.StatusOK, e.get(operations, loanPath("/backoffice/v1", l.Ref, "payoff")).Code, "staff quote it too")

	for _, asOf := range []string{"2025-03-09", "2025-06-09", "soon"} {
		p := e.get(demo, path+"?as_of="+asOf).problem(t, http.StatusBadRequest)
		require.Equal(t, []string{"as_of"}, p.fields(), asOf)
	}
	require.Equal(t, http.StatusOK, e.get(demo, path+"?as_of=2025-06-08").Code, "90 days ahead is quoted")
	e.get(other, path).problem(t, http.StatusNotFound)
	e.get(admin, loanPath("/backoffice/v1", l.Ref, "payoff")).problem(t, http.StatusForbidden)

	// A settlement at another amount is refused with the quote to settle at.
	res := e.post(demo, path, map[string]any{"amount": "1999.99"}, key("settle-1"))
	p := res.problem(t, http.StatusConflict)
	require.Equal(t, problemTypePrefix+"quote-mismatch", p.Type)
	var body struct {
		Quote payoffJSON `json:"quote"`
	}
	require.NoError(t, json.Unmarshal(res.Body.Bytes(), &body))
	require.Equal(t, q, body.Quote)
	require.Equal(t, []string{"Idempotency-Key"}, e.post(demo, path, map[string]any{"amount": "2000.00"}, nil).problem(t, http.StatusBadRequest).fields())
	require.Equal(t, []string{"amount"}, e.post(demo, path, map[string]any{"amount": "-1"}, key("settle-2")).problem(t, http.StatusBadRequest).fields())
	require.Equal(t, []string{"paid_on"}, e.post(demo, path, map[string]any{"amount": "2000.00", "paid_on": "2025-03-11"}, key("settle-2")).problem(t, http.StatusBadRequest).fields())

	res = e.post(demo, path, map[string]any{"amount": "2000.00"}, key("settle-1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	got := res.json(t)
	require.Equal(t, "CLOSED", got["status"])
	require.Equal(t, "2000.00", got["repaid"])
	require.Equal(t, "0.00", got["remaining"])

	res = e.post(demo, path, map[string]any{"amount": "2000.00"}, key("settle-1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "true", res.Header().Get(replayedHeader))
	require.Equal(t, "CLOSED", res.json(t)["status"])
	e.get(demo, path).problem(t, http.StatusConflict)

	before := k.LoanIn(lending.StatusApproved, "2000")
	e.get(demo, loanPath("/v1", before.Ref, "payoff")).problem(t, http.StatusConflict)
	e.post(demo, loanPath("/v1", before.Ref, "payoff"), map[string]any{"amount": "2000.00"}, key("early")).problem(t, http.StatusConflict)
}

func TestOverpaymentIsKeptAndRefunded(t *testing.T) {
	e, k := newWorkflowEnv(t)
	l := k.LoanIn(lending.StatusActive, "2000")
	total := decimal.RequireFromString(e.get(demo, loanPath("/v1", l.Ref, "")).json(t)["total_repayable"].(string))

	res := e.post(demo, loanPath("/v1", l.Ref, "repayments"), map[string]any{"amount": total.Add(decimal.NewFromInt(25)).StringFixed(2), "paid_on": "2025-03-10"}, key("all-and-more"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	got := res.json(t)
	require.Equal(t, "OVERPAID", got["status"])
	require.Equal(t, "25.00", got["overpaid"])
	require.Equal(t, "0.00", got["remaining"])

	refunds := loanPath("/backoffice/v1", l.Ref, "refunds")
	e.post(underwriter, refunds, map[string]any{"amount": "10.00", "reason": "paid twice"}, key("r1")).problem(t, http.StatusForbidden)
	require.Equal(t, []string{"amount"}, e.post(operations, refunds, map[string]any{"amount": "30.00", "reason": "paid twice"}, key("r1")).problem(t, http.StatusBadRequest).fields())
	require.Equal(t, []string{"reason"}, e.post(operations, refunds, map[string]any{"amount": "10.00"}, key("r1")).problem(t, http.StatusBadRequest).fields())
	require.Equal(t, []string{"amount", "bonus"}, e.post(operations, refunds, map[string]any{"amount": "x", "reason": "r", "bonus": 1}, key("r1")).problem(t, http.StatusBadRequest).fields())

	res = e.post(operations, refunds, map[string]any{"amount": "10.00", "reason": "paid twice"}, key("r1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "OVERPAID", res.json(t)["status"])
	require.Equal(t, "15.00", res.json(t)["overpaid"])
	res = e.post(operations, refunds, map[string]any{"amount": "15.00", "reason": "the rest"}, key("r2"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "CLOSED", res.json(t)["status"])
	require.Equal(t, "0.00", res.json(t)["overpaid"])

	detail := e.get(operations, loanPath("/backoffice/v1", l.Ref, "")).json(t)
	var refunded []string
	for _, tx := range detail["transactions"].([]any) {
		if m := tx.(map[string]any); m["kind"] == "refund" {
			refunded = append(refunded, m["amount"].(string))
		}
	}
	require.Equal(t, []string{"10.00", "15.00"}, refunded)
	e.post(operations, refunds, map[string]any{"amount": "1.00", "reason": "again"}, key("r3")).problem(t, http.StatusConflict)
}

func TestWriteOffWaiverAndRecovery(t *testing.T) {
	e, k := newWorkflowEnv(t)
	l := k.LoanIn(lending.StatusActive, "2000")
	bo := func(action string) string { return loanPath("/backoffice/v1", l.Ref, action) }

	waivers := bo("waivers")
	require.Equal(t, []string{"component"}, e.post(operations, waivers, map[string]any{"component": "principal", "amount": "1.00", "reason": "goodwill"}, key("w1")).problem(t, http.StatusBadRequest).fields())
	require.Equal(t, []string{"amount"}, e.post(operations, waivers, map[string]any{"component": "interest", "amount": "1.00", "reason": "goodwill"}, key("w1")).problem(t, http.StatusBadRequest).fields(),
		"nothing is due on the day of pay-out")
	e.post(underwriter, waivers, map[string]any{"component": "interest", "amount": "1.00", "reason": "goodwill"}, key("w1")).problem(t, http.StatusForbidden)

	q := payoffOf(t, e.get(operations, bo("payoff")))
	e.post(underwriter, bo("write-off"), map[string]any{"reason": "fraud"}, nil).problem(t, http.StatusForbidden)
	require.Equal(t, []string{"reason"}, e.post(operations, bo("write-off"), map[string]any{}, nil).problem(t, http.StatusBadRequest).fields())
	res := e.post(operations, bo("write-off"), map[string]any{"reason": "borrower deceased"}, key("wo"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	got := res.json(t)
	require.Equal(t, "WRITTEN_OFF", got["status"])
	require.Equal(t, q.Total, got["written_off"], "what a payoff would have charged is written off")
	e.post(operations, bo("write-off"), map[string]any{"reason": "again"}, key("wo-2")).problem(t, http.StatusConflict)

	res = e.post(demo, loanPath("/v1", l.Ref, "repayments"), map[string]any{"amount": "100.00", "paid_on": "2025-03-10"}, key("late-money"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	got = res.json(t)
	require.Equal(t, "WRITTEN_OFF", got["status"], "a recovery leaves the loan written off")
	require.Equal(t, "100.00", got["recovered"])
}

func TestRescheduleAndPrepaymentStrategies(t *testing.T) {
	e, k := newWorkflowEnv(t)
	l := k.LoanIn(lending.StatusActive, "2000")
	schedule := func(ref int64) []any {
		return e.get(demo, loanPath("/v1", ref, "schedule")).json(t)["installments"].([]any)
	}
	firstDue := schedule(l.Ref)[0].(map[string]any)["due_date"]

	path := loanPath("/backoffice/v1", l.Ref, "reschedule")
	e.post(operations, path, map[string]any{"defer_periods": 1, "reason": "hospital"}, nil).problem(t, http.StatusForbidden)
	require.Equal(t, []string{"defer_periods", "reason"}, e.post(underwriter, path, map[string]any{"defer_periods": 0}, nil).problem(t, http.StatusBadRequest).fields())
	require.Equal(t, []string{"defer_periods"}, e.post(underwriter, path, map[string]any{"defer_periods": "one", "reason": "x"}, nil).problem(t, http.StatusBadRequest).fields())
	res := e.post(underwriter, path, map[string]any{"defer_periods": 1, "reason": "hospital stay"}, key("holiday"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "ACTIVE", res.json(t)["status"])
	moved := schedule(l.Ref)
	require.Len(t, moved, 6)
	require.NotEqual(t, firstDue, moved[0].(map[string]any)["due_date"], "the first installment moved")

	repay := func(ref int64, strategy, k string) response {
		return e.post(demo, loanPath("/v1", ref, "repayments"), map[string]any{"amount": "1000.00", "paid_on": "2025-03-10", "prepayment_strategy": strategy}, key(k))
	}
	require.Equal(t, []string{"prepayment_strategy"}, repay(l.Ref, "pay_it_all", "p0").problem(t, http.StatusBadRequest).fields())

	total := func(row any) decimal.Decimal {
		return decimal.RequireFromString(row.(map[string]any)["total"].(string))
	}
	res = repay(l.Ref, "reduce_installment", "p1")
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	smaller := schedule(l.Ref)
	require.Len(t, smaller, 6, "reduce_installment keeps the term")
	require.True(t, total(smaller[2]).LessThan(total(moved[2])), "and lowers the installments: %v -> %v", moved[2], smaller[2])

	term := k.LoanIn(lending.StatusActive, "2000")
	res = repay(term.Ref, "reduce_term", "p2")
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Less(t, len(schedule(term.Ref)), 6, "reduce_term leaves fewer installments")
}
