package api

import (
	"context"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testkit/kit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

func TestAdminAPICreatesProducts(t *testing.T) {
	e := newEnv(t)
	got := createProduct(t, e, map[string]any{
		"code": "gold", "name": "Gold loan", "min_amount": "500.00", "max_amount": "9000", "annual_interest_rate": "24.5",
		"allocation_order": "due_first_then_advance", "late_fee": "12.50", "buckets": []int{15, 45},
	})
	requireFields(t, got, map[string]any{
		"code": "gold", "min_amount": "500.00", "max_amount": "9000.00", "annual_interest_rate": "24.5",
		"allocation_order": "due_first_then_advance", "late_fee": "12.50", "buckets": []any{15.0, 45.0},
		// Omitted fields take the documented defaults.
		"currency": "MDL", "min_term_months": 3.0, "max_term_months": 36.0, "ledger": "none", "lender": "self",
		"active": true, "prepayment_strategy": "next_installments",
	})

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

	requireNotCreated(t, e, nil, []badBody{
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
	})
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

	bad := []badBody{
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

// quotePeriods quotes amount over months of the product and answers the
// schedule's periods.
func quotePeriods(t *testing.T, e *env, product, amount string, months int) []map[string]any {
	t.Helper()
	res := e.post(demo, "/v1/quotes", map[string]any{"product_code": product, "amount": amount, "term_months": months}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	var out []map[string]any
	for _, p := range res.json(t)["periods"].([]any) {
		out = append(out, p.(map[string]any))
	}
	return out
}

func TestAdminAPIProductSchedules(t *testing.T) {
	e := newEnv(t)
	// Equal principal every 2 months: a 12-month loan is 6 installments,
	// due 2 months apart, each repaying the same principal.
	got := createProduct(t, e, map[string]any{"code": "bimonthly", "name": "Every two months", "min_term_months": 6, "max_term_months": 24,
		"amortization": "equal_principal", "repayment_every": 2, "days_in_year": 360})
	requireFields(t, got, map[string]any{
		"amortization": "equal_principal", "repayment_every": 2.0, "days_in_year": "360",
		// Omitted schedule settings take the engine's defaults, spelled out.
		"interest_method": "declining_balance", "interest_calculation_period": "same_as_repayment",
		"days_in_month": "actual", "rounding_mode": "half_even", "engine": "cumulative",
		"allow_partial_period_interest": false, "grace_on_principal": 0.0, "accrual_days_in_year": "",
	})
	periods := quotePeriods(t, e, "bimonthly", "12000.00", 12)
	require.Len(t, periods, 6)
	for i, p := range periods {
		require.Equal(t, "2000.00", p["principal"], "installment %d", i+1)
		require.Equal(t, date(lending.Day(testNow).AddDate(0, 2*(i+1), 0)), p["due_date"], "installment %d", i+1)
	}
	require.NotEqual(t, periods[0]["total"], periods[5]["total"], "interest falls with the balance")
	p := e.post(demo, "/v1/quotes", map[string]any{"product_code": "bimonthly", "amount": "12000.00", "term_months": 7}, nil).
		problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"term_months"}, p.fields())
	require.Contains(t, p.Errors[0].Message, "multiple of 2")

	// Flat interest: every installment carries the same interest.
	createProduct(t, e, map[string]any{"code": "flat", "name": "Flat", "interest_method": "flat"})
	periods = quotePeriods(t, e, "flat", "6000.00", 6)
	require.Len(t, periods, 6)
	for _, p := range periods[1:] {
		require.Equal(t, periods[0]["interest"], p["interest"])
	}
	decl := quotePeriods(t, e, "consumer", "6000.00", 6)
	require.NotEqual(t, decl[0]["interest"], decl[5]["interest"], "declining balance interest differs, so the flat one shows")

	requireNotCreated(t, e, map[string]any{"code": "silver", "name": "S"}, []badBody{
		{"unknown interest method", map[string]any{"interest_method": "simple"}, "interest_method"},
		{"unknown amortization", map[string]any{"amortization": "balloon"}, "amortization"},
		{"unknown interest period", map[string]any{"interest_calculation_period": "weekly"}, "interest_calculation_period"},
		{"unknown days in year", map[string]any{"days_in_year": "366"}, "days_in_year"},
		{"unknown days in month", map[string]any{"days_in_month": 31}, "days_in_month"},
		{"unknown rounding", map[string]any{"rounding_mode": "ceiling"}, "rounding_mode"},
		{"unknown engine", map[string]any{"engine": "quantum"}, "engine"},
		{"partial interest not a boolean", map[string]any{"allow_partial_period_interest": "yes"}, "allow_partial_period_interest"},
		{"every does not divide the terms", map[string]any{"repayment_every": 5}, "repayment_every"},
		{"every zero", map[string]any{"repayment_every": 0}, "repayment_every"},
		{"grace as long as the shortest loan", map[string]any{"grace_on_principal": 3}, "grace_on_principal"},
		{"grace on the progressive engine", map[string]any{"grace_on_interest_payment": 1, "engine": "progressive"}, "engine"},
		{"multiples of a currency with decimals", map[string]any{"currency_in_multiples_of": 10}, "currency_in_multiples_of"},
		{"negative installment multiples", map[string]any{"installment_in_multiples_of": -1}, "installment_in_multiples_of"},
		{"364 accrual days", map[string]any{"accrual_days_in_year": "364"}, "accrual_days_in_year"},
		{"364 days with accrual following", map[string]any{"days_in_year": "364"}, "days_in_year"},
		{"a ledger books the default schedule", map[string]any{"ledger": "fineract", "interest_method": "flat"}, "interest_method"},
	})
	// 364 days in the year is the engine's; accrual then needs its own.
	createProduct(t, e, map[string]any{"code": "d364", "name": "364", "days_in_year": "364", "accrual_days_in_year": "365"})
}

func TestAdminAPIPatchesScheduleSettings(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	before, err := e.store.GetProduct(ctx, "consumer")
	require.NoError(t, err)
	patch := func(code string, body any) response {
		return e.do(request{method: http.MethodPatch, path: "/backoffice/v1/products/" + code, creds: &admin, body: body})
	}
	res := patch("consumer", map[string]any{"amortization": "equal_principal"})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "equal_principal", res.json(t)["amortization"])
	after, err := e.store.GetProduct(ctx, "consumer")
	require.NoError(t, err)
	want := *before
	want.Schedule.Amortization = "equal_principal"
	require.Equal(t, want, *after, "only the field sent changed")
	periods := quotePeriods(t, e, "consumer", "3000.00", 3)
	for _, p := range periods {
		require.Equal(t, "1000.00", p["principal"])
	}

	p := patch("consumer", map[string]any{"repayment_every": 2}).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"repayment_every"}, p.fields(), "3 and 36 months are not whole 2-month periods")
	require.Equal(t, http.StatusOK, patch("consumer", map[string]any{"repayment_every": 3}).Code)
	require.Len(t, quotePeriods(t, e, "consumer", "3000.00", 12), 4)

	p = patch("fineract", map[string]any{"repayment_every": 3}).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"repayment_every"}, p.fields(), "the ledger is booked monthly")
}

// badBody is a request body the admin API must refuse, naming field alone.
type badBody struct {
	name  string
	body  map[string]any
	field string
}

// requireNotCreated posts each body, over base, as a new product "silver"
// and requires a 400 naming its field alone, and no product silver after.
func requireNotCreated(t *testing.T, e *env, base map[string]any, cases []badBody) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{}
			maps.Copy(body, base)
			maps.Copy(body, tc.body)
			p := e.post(admin, "/backoffice/v1/products", body, nil).problem(t, http.StatusBadRequest)
			require.Equal(t, []string{tc.field}, p.fields(), "%+v", p)
		})
	}
	_, err := e.store.GetProduct(context.Background(), "silver")
	require.ErrorIs(t, err, models.ErrNotFound)
}

// createProduct creates a product of body through the admin API, requires
// a 201 and answers the product as the API shows it.
func createProduct(t *testing.T, e *env, body map[string]any) map[string]any {
	t.Helper()
	res := e.post(admin, "/backoffice/v1/products", body, nil)
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	return res.json(t)
}

// requireFields requires each field of want in got, with its value.
func requireFields(t *testing.T, got, want map[string]any) {
	t.Helper()
	for field, v := range want {
		require.Equal(t, v, got[field], field)
	}
}

// TestProductApprovalDeadline: a product's approval_sla_hours expires its
// undecided applications that long after submission, while a product
// without one keeps the deployment's deadline; loans keep the deadline
// they were submitted under.
func TestProductApprovalDeadline(t *testing.T) {
	e, k := newWorkflowEnv(t)
	patch := func(body map[string]any) response {
		return e.do(request{method: http.MethodPatch, path: "/backoffice/v1/products/consumer", creds: &admin, body: body})
	}
	bad := patch(map[string]any{"approval_sla_hours": -1}).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"approval_sla_hours"}, bad.fields())

	res := patch(map[string]any{"approval_sla_hours": 6})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, 6.0, res.json(t)["approval_sla_hours"])
	quick := k.LoanIn(lending.StatusSubmitted, "2000")
	require.Equal(t, http.StatusOK, patch(map[string]any{"approval_sla_hours": 0}).Code)
	usual := k.LoanIn(lending.StatusSubmitted, "2000")

	k.Advance(7 * time.Hour)
	require.Eventually(t, func() bool { return k.Loan(quick.Ref).Status == lending.StatusExpired }, 10*time.Second, 20*time.Millisecond,
		"an application undecided past its product's 6 hours expires")
	require.Equal(t, lending.StatusSubmitted, k.Loan(usual.Ref).Status, "the deployment's deadline (kit: 48 h) still runs")
}

// A product booked in a ledger names the ledger product its loans are
// booked under, or the deployment does; neither, and the admin API refuses
// it naming the setting, instead of the ledger refusing every loan later.
func TestAdminAPINeedsALedgerProductForAProductBookedInALedger(t *testing.T) {
	e := newEnv(t, kit.WithLedgerProducts(lending.LedgerProducts{}))
	ctx := context.Background()
	for _, tc := range []struct {
		ledger, field string
		value         any
		want          lending.LedgerProducts
	}{
		{"fineract", "fineract_product_id", 7, lending.LedgerProducts{FineractProductID: 7}},
		{"mambu", "mambu_product_key", "8a8e878e71c7a4d70171ca4a4a7e1b2c", lending.LedgerProducts{MambuProductKey: "8a8e878e71c7a4d70171ca4a4a7e1b2c"}},
	} {
		t.Run(tc.ledger, func(t *testing.T) {
			code := "gold-" + tc.ledger
			p := e.post(admin, "/backoffice/v1/products", map[string]any{"code": code, "name": "Gold", "ledger": tc.ledger}, nil).
				problem(t, http.StatusBadRequest)
			require.Equal(t, []string{tc.field}, p.fields())
			require.Contains(t, p.Errors[0].Message, lending.LedgerProductVariable(lending.Ledger(tc.ledger)))
			_, err := e.store.GetProduct(ctx, code)
			require.ErrorIs(t, err, models.ErrNotFound)

			createProduct(t, e, map[string]any{"code": code, "name": "Gold", "ledger": tc.ledger, tc.field: tc.value})
			stored, err := e.store.GetProduct(ctx, code)
			require.NoError(t, err)
			require.Equal(t, tc.want, stored.LedgerProducts)

			// An edit may change the ledger product, not drop it.
			patch := func(body any) response {
				return e.do(request{method: http.MethodPatch, path: "/backoffice/v1/products/" + code, creds: &admin, body: body})
			}
			empty := map[string]any{"fineract_product_id": 0, "mambu_product_key": ""}[tc.field]
			p = patch(map[string]any{tc.field: empty}).problem(t, http.StatusBadRequest)
			require.Equal(t, []string{tc.field}, p.fields())
			again, err := e.store.GetProduct(ctx, code)
			require.NoError(t, err)
			require.Equal(t, tc.want, again.LedgerProducts)
		})
	}

	// The seeded products booked in a ledger name none and there is no
	// default: any edit of them asks for it.
	p := e.do(request{method: http.MethodPatch, path: "/backoffice/v1/products/mambu", creds: &admin,
		body: map[string]any{"name": "Mambu loan"}}).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"mambu_product_key"}, p.fields())
	res := e.do(request{method: http.MethodPatch, path: "/backoffice/v1/products/mambu", creds: &admin,
		body: map[string]any{"name": "Mambu loan", "mambu_product_key": " 8a8e878e71c7a4d70171ca4a4a7e1b2c "}})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "8a8e878e71c7a4d70171ca4a4a7e1b2c", res.json(t)["mambu_product_key"])

	requireNotCreated(t, e, map[string]any{"code": "silver", "name": "S"}, []badBody{
		{"a Fineract id on a product booked nowhere", map[string]any{"fineract_product_id": 3}, "fineract_product_id"},
		{"a Mambu key on a Fineract product", map[string]any{"ledger": "fineract", "fineract_product_id": 3, "mambu_product_key": "abc"}, "mambu_product_key"},
		{"a negative Fineract id", map[string]any{"ledger": "fineract", "fineract_product_id": -1}, "fineract_product_id"},
		{"a Mambu key with spaces", map[string]any{"ledger": "mambu", "mambu_product_key": "my product"}, "mambu_product_key"},
		{"a Fineract id not a number", map[string]any{"ledger": "fineract", "fineract_product_id": "one"}, "fineract_product_id"},
	})
}

// With the deployment's defaults set, a product booked in a ledger may
// leave its ledger product to them.
func TestAdminAPILeavesTheLedgerProductToTheDeploymentsDefault(t *testing.T) {
	e := newEnv(t, kit.WithLedgerProducts(lending.LedgerProducts{FineractProductID: 4, MambuProductKey: "k1"}))
	for _, ledger := range []string{"fineract", "mambu"} {
		got := createProduct(t, e, map[string]any{"code": "gold-" + ledger, "name": "Gold", "ledger": ledger})
		requireFields(t, got, map[string]any{"fineract_product_id": 0.0, "mambu_product_key": ""})
	}
}
