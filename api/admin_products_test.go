package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/models"
)

func TestAdminAPICreatesProducts(t *testing.T) {
	e := newEnv(t)
	res := e.post(admin, "/backoffice/v1/products", map[string]any{
		"code": "gold", "name": "Gold loan", "min_amount": "500.00", "max_amount": "9000", "annual_interest_rate": "24.5",
		"allocation_order": "due_first_then_advance", "late_fee": "12.50", "buckets": []int{15, 45},
	}, nil)
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	got := res.json(t)
	require.Equal(t, "gold", got["code"])
	require.Equal(t, "500.00", got["min_amount"])
	require.Equal(t, "9000.00", got["max_amount"])
	require.Equal(t, "24.5", got["annual_interest_rate"])
	require.Equal(t, "due_first_then_advance", got["allocation_order"])
	require.Equal(t, "12.50", got["late_fee"])
	require.Equal(t, []any{15.0, 45.0}, got["buckets"])
	// Omitted fields take the documented defaults.
	require.Equal(t, "MDL", got["currency"])
	require.Equal(t, 3.0, got["min_term_months"])
	require.Equal(t, 36.0, got["max_term_months"])
	require.Equal(t, "none", got["ledger"])
	require.Equal(t, "self", got["lender"])
	require.Equal(t, true, got["active"])
	require.Equal(t, "next_installments", got["prepayment_strategy"])

	// The new product quotes loans at once.
	quote := e.post(demo, "/v1/quotes", map[string]any{"product_code": "gold", "amount": "1000.00", "term_months": 6}, nil)
	require.Equal(t, http.StatusOK, quote.Code, quote.Body.String())

	list := e.get(admin, "/backoffice/v1/products")
	require.Equal(t, http.StatusOK, list.Code)
	require.Contains(t, list.Body.String(), `"code":"gold"`)

	// A retried creation is a 409 naming the code, not a second product.
	p := e.post(admin, "/backoffice/v1/products", map[string]any{"code": "gold", "name": "Gold again"}, nil).problem(t, http.StatusConflict)
	require.Equal(t, []string{"code"}, p.fields())
	var n int64
	require.NoError(t, e.store.DB.Model(&models.Product{}).Where("code = ?", "gold").Count(&n).Error)
	require.Equal(t, int64(1), n)

	bad := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"no code", map[string]any{"name": "X"}, "code"},
		{"no name", map[string]any{"code": "silver"}, "name"},
		{"negative amount", map[string]any{"code": "silver", "name": "S", "min_amount": "-5"}, "min_amount"},
		{"min above max", map[string]any{"code": "silver", "name": "S", "min_amount": "9000", "max_amount": "800"}, "max_amount"},
		{"min term above max", map[string]any{"code": "silver", "name": "S", "min_term_months": 12, "max_term_months": 6}, "max_term_months"},
		{"bad allocation order", map[string]any{"code": "silver", "name": "S", "allocation_order": "richest_first"}, "allocation_order"},
		{"late fee too fine", map[string]any{"code": "silver", "name": "S", "late_fee": "1.005"}, "late_fee"},
		{"amount not a number", map[string]any{"code": "silver", "name": "S", "max_amount": "lots"}, "max_amount"},
		{"unknown ledger", map[string]any{"code": "silver", "name": "S", "ledger": "excel"}, "ledger"},
		{"bad currency", map[string]any{"code": "silver", "name": "S", "currency": "lei"}, "currency"},
		{"buckets descending", map[string]any{"code": "silver", "name": "S", "buckets": []int{60, 30}}, "buckets"},
		{"unknown field", map[string]any{"code": "silver", "name": "S", "colour": "gold"}, "colour"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			p := e.post(admin, "/backoffice/v1/products", tc.body, nil).problem(t, http.StatusBadRequest)
			require.Equal(t, []string{tc.field}, p.fields())
		})
	}
	_, err := e.store.GetProduct(context.Background(), "silver")
	require.ErrorIs(t, err, models.ErrNotFound)
}

func TestAdminAPIPatchesProducts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	before, err := e.store.GetProduct(ctx, "consumer")
	require.NoError(t, err)
	patch := func(body any) response {
		return e.do(request{method: http.MethodPatch, path: "/backoffice/v1/products/consumer", creds: &admin, body: body})
	}
	res := patch(map[string]any{"max_amount": "60000.50", "penalty_rate": "18", "buckets": []int{15, 45, 90}})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "60000.50", res.json(t)["max_amount"])
	after, err := e.store.GetProduct(ctx, "consumer")
	require.NoError(t, err)
	require.Equal(t, "60000.5", after.MaxAmount.String())
	require.Equal(t, "18", after.PenaltyRate.String())
	require.Equal(t, "15,45,90", after.DelinquencyBuckets)
	// Only the fields sent changed.
	want := *before
	want.MaxAmount, want.PenaltyRate, want.DelinquencyBuckets = after.MaxAmount, after.PenaltyRate, after.DelinquencyBuckets
	require.Equal(t, want, *after)

	bad := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"negative amount", map[string]any{"min_amount": "-1"}, "min_amount"},
		{"min above max", map[string]any{"min_amount": "70000"}, "max_amount"},
		{"bad allocation order", map[string]any{"allocation_order": "richest_first"}, "allocation_order"},
		{"late fee too fine", map[string]any{"late_fee": "1.005"}, "late_fee"},
		{"currency is fixed", map[string]any{"currency": "EUR"}, "currency"},
		{"ledger is fixed", map[string]any{"ledger": "mambu"}, "ledger"},
		{"active not a boolean", map[string]any{"active": "yes"}, "active"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			p := patch(tc.body).problem(t, http.StatusBadRequest)
			require.Equal(t, []string{tc.field}, p.fields())
			again, err := e.store.GetProduct(ctx, "consumer")
			require.NoError(t, err)
			require.Equal(t, *after, *again)
		})
	}
	// The current value of a fixed field may be sent back as read.
	require.Equal(t, http.StatusOK, patch(map[string]any{"currency": "MDL", "code": "consumer", "active": false}).Code)
	again, err := e.store.GetProduct(ctx, "consumer")
	require.NoError(t, err)
	require.False(t, again.Active)
	e.do(request{method: http.MethodPatch, path: "/backoffice/v1/products/gold", creds: &admin, body: map[string]any{"name": "G"}}).
		problem(t, http.StatusNotFound)
}
