package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	res := e.do(request{method: http.MethodGet, path: "/healthz"})
	require.Equal(t, http.StatusOK, res.Code)
	require.Equal(t, "ok", res.json(t)["status"])
}

func TestReadyz(t *testing.T) {
	e := newEnv(t)
	res := e.do(request{method: http.MethodGet, path: "/readyz"})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())

	e.engine.ReadyErr = &failure.Error{Kind: failure.KindUnavailable, Detail: "no worker polls task queue \"loanflow\""}
	p := e.do(request{method: http.MethodGet, path: "/readyz"}).problem(t, http.StatusServiceUnavailable)
	require.Equal(t, []string{"temporal"}, p.fields())
	require.Contains(t, p.Errors[0].Message, "no worker")

	e.engine.ReadyErr = nil
	require.NoError(t, e.store.Close())
	p = e.do(request{method: http.MethodGet, path: "/readyz"}).problem(t, http.StatusServiceUnavailable)
	require.Equal(t, []string{"database"}, p.fields())
}

func TestQuote(t *testing.T) {
	e := newEnv(t)
	res := e.post(demo, "/v1/quotes", map[string]any{"amount": "1000.00", "term_months": 6}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	q := res.json(t)
	require.Equal(t, "consumer", q["product_code"])
	require.Equal(t, "1000.00", q["amount"])
	sched := q["periods"].([]any)
	require.Len(t, sched, 6)
	first := sched[0].(map[string]any)
	require.Equal(t, float64(1), first["number"])
	require.Equal(t, "2025-04-10", first["due_date"])
	require.Equal(t, "2025-04-10", q["first_repayment_date"])
	require.Equal(t, q["total_repayable"], q["total_repayment"])
	require.Equal(t, "1000.00", q["total_principal"])
	for _, f := range []string{"installment_amount", "total_repayable", "total_interest", "total_fees", "apr"} {
		require.Regexp(t, `^\d+\.\d\d$`, q[f], f)
	}
	// The totals add up: principal plus interest plus fees.
	total := decimal.RequireFromString(q["total_repayable"].(string))
	interest := decimal.RequireFromString(q["total_interest"].(string))
	fees := decimal.RequireFromString(q["total_fees"].(string))
	require.True(t, total.Equal(decimal.NewFromInt(1000).Add(interest).Add(fees)), "total %s", total)
	require.True(t, interest.IsPositive())
	last := sched[5].(map[string]any)
	require.Equal(t, "0.00", last["balance"])
}

// TestQuoteOnFullTerms: a body with "principal" is a schedule request in the
// `loanflow schedule` contract, answered in the same shape as the command.
func TestQuoteOnFullTerms(t *testing.T) {
	e := newEnv(t)
	terms := map[string]any{
		"principal": "5000.00", "disbursement_date": "2022-11-01", "number_of_repayments": 18,
		"repayment_every": 1, "repayment_frequency": "months", "interest_rate": "12",
		"interest_rate_frequency": "years", "interest_method": "flat", "amortization": "equal_installments",
		"currency": map[string]any{"code": "EUR", "decimal_places": 2, "in_multiples_of": 0},
	}
	res := e.post(demo, "/v1/quotes", terms, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	q := res.json(t)
	require.Len(t, q["periods"], 18)
	require.Equal(t, "5000.00", q["total_principal"])
	// Flat 12 % a year on 5000 over 18 months is 900.00 of interest.
	require.Equal(t, "900.00", q["total_interest"])
	first := q["periods"].([]any)[0].(map[string]any)
	require.Equal(t, "2022-11-01", first["from_date"])
	require.Equal(t, "2022-12-01", first["due_date"])

	terms["interest_method"] = "compound"
	p := e.post(demo, "/v1/quotes", terms, nil).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"interest_method"}, p.fields())
	terms["interest_method"] = "flat"
	terms["number_of_repayments"] = 0
	p = e.post(demo, "/v1/quotes", terms, nil).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"number_of_repayments"}, p.fields())
}

func TestQuoteValidation(t *testing.T) {
	cases := []struct {
		name   string
		body   any
		fields []string
	}{
		{"below the product's minimum", map[string]any{"amount": "10.00", "term_months": 6}, []string{"amount"}},
		{"above the product's maximum term", map[string]any{"amount": "1000.00", "term_months": 600}, []string{"term_months"}},
		{"too many decimals", map[string]any{"amount": "1000.001", "term_months": 6}, []string{"amount"}},
		{"everything missing", map[string]any{}, []string{"amount", "term_months"}},
		{"unknown product", map[string]any{"product_code": "nope", "amount": "1000", "term_months": 6}, []string{"product_code"}},
		{"unknown field", map[string]any{"amount": "1000", "term_months": 6, "partner_type": "post"}, []string{"partner_type"}},
		{"term as a string", map[string]any{"amount": "1000", "term_months": "6"}, []string{"term_months"}},
	}
	e := newEnv(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := e.post(demo, "/v1/quotes", tc.body, nil).problem(t, http.StatusBadRequest)
			require.ElementsMatch(t, tc.fields, p.fields())
		})
	}
}

func TestSubmitLoan(t *testing.T) {
	e := newEnv(t)
	res := e.post(demo, "/v1/loans", application(), key("k-1"))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	l := res.json(t)
	ref := int64(l["ref"].(float64))
	require.Equal(t, fmt.Sprintf("/v1/loans/%d", ref), res.Header().Get("Location"))
	require.Equal(t, "SUBMITTED", l["status"])
	require.Equal(t, []any{}, l["reason_codes"])
	require.Equal(t, "2000.00", l["amount"])
	require.Equal(t, float64(6), l["term_months"])
	require.Equal(t, "MDL", l["currency"])
	require.Equal(t, "consumer", l["product_code"])
	require.Equal(t, "0.00", l["repaid"])
	require.Equal(t, "2025-04-10", l["first_repayment_date"])
	require.Nil(t, l["disbursed_on"])
	require.Equal(t, "2025-03-10T09:30:00Z", l["created_at"])
	require.Regexp(t, `^\d+\.\d\d$`, l["installment_amount"])
	require.Equal(t, l["total_repayable"], l["remaining"])
	ap := l["applicant"].(map[string]any)
	require.Equal(t, "1990-01-01", ap["birth_date"])
	require.Equal(t, "sister", ap["alt_contact"].(map[string]any)["relation"])
	require.Equal(t, "Chisinau", ap["address"].(map[string]any)["town"])

	require.Equal(t, 1, len(e.engine.Starts()))
	in := e.engine.Starts()[0]
	require.Equal(t, ref, in.Ref)
	require.Equal(t, e.partner("demo").ID, in.PartnerID)
	require.Equal(t, "demo", in.Partner)
	require.Equal(t, "consumer", in.Product.Code)
	require.True(t, in.Amount.Equal(decimal.NewFromInt(2000)))
	require.Equal(t, 6, in.TermMonths)
	require.Equal(t, "I12356789T", in.Applicant.IdentityNumber)
	require.Equal(t, time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), in.Applicant.BirthDate)
	require.Equal(t, "0987654321", in.Applicant.AltContactPhone)
	require.Equal(t, testNow, in.SubmittedAt)
	require.Equal(t, 48*time.Hour, in.ApprovalTTL)

	stored, err := e.store.GetLoan(context.Background(), ref)
	require.NoError(t, err)
	require.Equal(t, "k-1", stored.IdempotencyKey)
	require.Len(t, stored.RequestHash, 64)
	require.Equal(t, lending.StatusSubmitted, stored.Status)
}

func TestSubmitLoanDefaultProduct(t *testing.T) {
	e := newEnv(t)
	body := application()
	delete(body, "product_code")
	res := e.post(demo, "/v1/loans", body, key("k-default"))
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	require.Equal(t, "consumer", res.json(t)["product_code"])
}

func TestSubmitLoanIdempotency(t *testing.T) {
	e := newEnv(t)
	first := e.post(demo, "/v1/loans", application(), key("same"))
	require.Equal(t, http.StatusCreated, first.Code, first.Body.String())
	ref := first.json(t)["ref"]

	// The same request again, spelt differently (amount without decimals).
	body := application()
	body["amount"] = "2000"
	again := e.post(demo, "/v1/loans", body, key("same"))
	require.Equal(t, http.StatusOK, again.Code, again.Body.String())
	require.Equal(t, ref, again.json(t)["ref"])
	require.Equal(t, "true", again.Header().Get("Idempotent-Replayed"))
	require.Equal(t, 2, len(e.engine.Starts()), "a replay restarts the workflow in case the first start was lost")
	require.Equal(t, e.engine.Starts()[0].Ref, e.engine.Starts()[1].Ref)

	body["amount"] = "3000.00"
	p := e.post(demo, "/v1/loans", body, key("same")).problem(t, http.StatusConflict)
	require.Contains(t, p.Type, "idempotency-conflict")
	require.Equal(t, "idempotency key reused with a different request", p.Detail)

	// Keys are per partner: another partner may use the same one.
	res := e.post(other, "/v1/loans", application(), key("same"))
	require.Equal(t, http.StatusCreated, res.Code)
	require.NotEqual(t, ref, res.json(t)["ref"])
}

func TestSubmitLoanConcurrentDuplicates(t *testing.T) {
	e := newEnv(t)
	const n = 6
	results := make(chan response, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- e.post(demo, "/v1/loans", application(), key("race"))
		}()
	}
	wg.Wait()
	close(results)
	created := 0
	var first any
	for res := range results {
		require.Contains(t, []int{http.StatusCreated, http.StatusOK}, res.Code, res.Body.String())
		if res.Code == http.StatusCreated {
			created++
		}
		ref := res.json(t)["ref"]
		if first == nil {
			first = ref
		}
		require.Equal(t, first, ref)
	}
	require.Equal(t, 1, created, "exactly one request creates the loan")
	var count int64
	require.NoError(t, e.store.DB.Model(&models.Loan{}).Count(&count).Error)
	require.Equal(t, int64(1), count)
}

func TestSubmitLoanHealsAfterFailedStart(t *testing.T) {
	e := newEnv(t)
	e.engine.StartErr = &failure.Error{Kind: failure.KindUnavailable, Detail: "the loan engine is unavailable, retry later"}
	p := e.post(demo, "/v1/loans", application(), key("heal")).problem(t, http.StatusServiceUnavailable)
	require.Equal(t, "the loan engine is unavailable, retry later", p.Detail)

	e.engine.StartErr = nil
	res := e.post(demo, "/v1/loans", application(), key("heal"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, 2, len(e.engine.Starts()))
	require.Equal(t, e.engine.Starts()[0].Ref, int64(res.json(t)["ref"].(float64)))
}

func TestSubmitLoanValidation(t *testing.T) {
	with := func(mutate func(m map[string]any)) map[string]any {
		m := application()
		mutate(m)
		return m
	}
	applicant := func(m map[string]any) map[string]any { return m["applicant"].(map[string]any) }
	cases := []struct {
		name   string
		body   any
		key    string
		fields []string
	}{
		{"no idempotency key", application(), "", []string{"Idempotency-Key"}},
		{"idempotency key too long", application(), strings.Repeat("k", 256), []string{"Idempotency-Key"}},
		{"amount missing", with(func(m map[string]any) { delete(m, "amount") }), "k", []string{"amount"}},
		{"amount not a number", with(func(m map[string]any) { m["amount"] = "two thousand" }), "k", []string{"amount"}},
		{"amount negative", with(func(m map[string]any) { m["amount"] = "-2000.00" }), "k", []string{"amount"}},
		{"amount zero", with(func(m map[string]any) { m["amount"] = "0.00" }), "k", []string{"amount"}},
		{"amount over the currency's decimals", with(func(m map[string]any) { m["amount"] = "2000.005" }), "k", []string{"amount"}},
		{"amount in exponent notation", with(func(m map[string]any) { m["amount"] = "2e3" }), "k", []string{"amount"}},
		{"amount huge", with(func(m map[string]any) { m["amount"] = strings.Repeat("9", 40) }), "k", []string{"amount"}},
		{"amount a boolean", with(func(m map[string]any) { m["amount"] = true }), "k", []string{"amount"}},
		{"term zero", with(func(m map[string]any) { m["term_months"] = 0 }), "k", []string{"term_months"}},
		{"term fractional", with(func(m map[string]any) { m["term_months"] = 6.5 }), "k", []string{"term_months"}},
		{"term a string", with(func(m map[string]any) { m["term_months"] = "6" }), "k", []string{"term_months"}},
		{"term huge", with(func(m map[string]any) { m["term_months"] = 1e300 }), "k", []string{"term_months"}},
		{"birth date in another format", with(func(m map[string]any) { applicant(m)["birth_date"] = "01.01.1990" }), "k", []string{"applicant.birth_date"}},
		{"birth date impossible", with(func(m map[string]any) { applicant(m)["birth_date"] = "1990-02-30" }), "k", []string{"applicant.birth_date"}},
		{"birth date missing", with(func(m map[string]any) { delete(applicant(m), "birth_date") }), "k", []string{"applicant.birth_date"}},
		{"first name a number", with(func(m map[string]any) { applicant(m)["first_name"] = 7 }), "k", []string{"applicant.first_name"}},
		{"last name with a right-to-left override", with(func(m map[string]any) { applicant(m)["last_name"] = "Smith\u202enhoJ" }), "k", []string{"applicant.last_name"}},
		{"first name blank", with(func(m map[string]any) { applicant(m)["first_name"] = "  " }), "k", []string{"applicant.first_name"}},
		{"name with an emoji", with(func(m map[string]any) { applicant(m)["last_name"] = "Smith 😀" }), "k", []string{"applicant.last_name"}},
		{"name with a control character", with(func(m map[string]any) { applicant(m)["last_name"] = "Smi\nth" }), "k", []string{"applicant.last_name"}},
		{"office too long", with(func(m map[string]any) { m["office"] = strings.Repeat("o", 256) }), "k", []string{"office"}},
		{"town missing", with(func(m map[string]any) { delete(applicant(m)["address"].(map[string]any), "town") }), "k", []string{"applicant.address.town"}},
		{"alt contact an array", with(func(m map[string]any) { applicant(m)["alt_contact"] = []any{"June"} }), "k", []string{"applicant.alt_contact"}},
		{"unknown top-level field", with(func(m map[string]any) { m["partner_type"] = "post" }), "k", []string{"partner_type"}},
		{"unknown nested field", with(func(m map[string]any) { applicant(m)["gsm"] = "0123" }), "k", []string{"applicant.gsm"}},
		{"unknown product", with(func(m map[string]any) { m["product_code"] = "gold" }), "k", []string{"product_code"}},
		{"several at once", with(func(m map[string]any) {
			m["amount"] = "x"
			delete(m, "office")
			applicant(m)["birth_date"] = "yesterday"
		}), "", []string{"Idempotency-Key", "amount", "office", "applicant.birth_date"}},
		{"applicant missing", with(func(m map[string]any) { delete(m, "applicant") }), "k", []string{
			"applicant.identity_number", "applicant.first_name", "applicant.last_name", "applicant.patronymic",
			"applicant.document_serial", "applicant.mobile_phone", "applicant.home_phone",
			"applicant.alt_contact.name", "applicant.alt_contact.relation", "applicant.alt_contact.phone",
			"applicant.address.town", "applicant.address.street", "applicant.address.house", "applicant.birth_date",
		}},
		{"an array for the body", []any{application()}, "k", []string{"body"}},
		{"garbage", "{not json", "k", []string{"body"}},
		{"empty body", "", "k", []string{"body"}},
	}
	e := newEnv(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var headers map[string]string
			if tc.key != "" {
				headers = key(tc.key)
			}
			p := e.post(demo, "/v1/loans", tc.body, headers).problem(t, http.StatusBadRequest)
			require.ElementsMatch(t, tc.fields, p.fields())
			for _, fe := range p.Errors {
				require.NotEmpty(t, fe.Message)
			}
		})
	}
	require.Zero(t, len(e.engine.Starts()), "no invalid request reaches the engine")
}

func TestSubmitLoanBodyTooLarge(t *testing.T) {
	e := newEnv(t)
	body := application()
	body["office"] = strings.Repeat("x", 70<<10)
	e.post(demo, "/v1/loans", body, key("big")).problem(t, http.StatusRequestEntityTooLarge)
}

func TestGetLoan(t *testing.T) {
	e := newEnv(t)
	ref := e.submit(demo, "get")
	res := e.get(demo, fmt.Sprintf("/v1/loans/%d", ref))
	require.Equal(t, http.StatusOK, res.Code)
	require.Equal(t, float64(ref), res.json(t)["ref"])

	rejected := e.insertLoan("demo", lending.StatusAutoRejected, "2000.00")
	require.NoError(t, e.store.DB.Model(&models.Loan{}).Where("ref = ?", rejected.Ref).
		Update("reason_codes", "UNDERAGE,BAD_PHONE").Error)
	l := e.get(demo, fmt.Sprintf("/v1/loans/%d", rejected.Ref)).json(t)
	require.Equal(t, "AUTO_REJECTED", l["status"])
	require.Equal(t, []any{"UNDERAGE", "BAD_PHONE"}, l["reason_codes"])

	for _, path := range []string{"/v1/loans/999999", "/v1/loans/abc", "/v1/loans/-1"} {
		e.get(demo, path).problem(t, http.StatusNotFound)
	}
}

func TestPartnerIsolation(t *testing.T) {
	e := newEnv(t)
	theirs := e.insertLoan("other", lending.StatusApproved, "2000.00")
	mine := e.insertLoan("demo", lending.StatusApproved, "2000.00")
	path := fmt.Sprintf("/v1/loans/%d", theirs.Ref)
	for _, r := range []request{
		{method: http.MethodGet, path: path},
		{method: http.MethodGet, path: path + "/schedule"},
		{method: http.MethodGet, path: path + "/agreement"},
		{method: http.MethodGet, path: path + "/cash-release"},
		{method: http.MethodPost, path: path + "/cancel"},
		{method: http.MethodPost, path: path + "/disbursement"},
		{method: http.MethodPost, path: path + "/repayments", body: map[string]any{"amount": "10.00", "paid_on": "2025-03-10"}, headers: key("r")},
	} {
		r.creds = &demo
		e.do(r).problem(t, http.StatusNotFound)
	}
	up := e.upload(demo, theirs.Ref, "signed_agreement", "a.pdf", pdfBytes())
	up.problem(t, http.StatusNotFound)
	require.Zero(t, len(e.engine.Updates()), "nothing reached another partner's workflow")

	list := e.get(demo, "/v1/loans").json(t)
	require.Equal(t, float64(1), list["total"])
	require.Equal(t, float64(mine.Ref), list["items"].([]any)[0].(map[string]any)["ref"])
}

func TestListLoans(t *testing.T) {
	e := newEnv(t)
	var refs []int64
	for i := 0; i < 5; i++ {
		refs = append(refs, e.insertLoan("demo", lending.StatusSubmitted, "2000.00").Ref)
	}
	e.setStatus(refs[0], lending.StatusApproved)

	page := func(query string) map[string]any {
		res := e.get(demo, "/v1/loans"+query)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		return res.json(t)
	}
	all := page("")
	require.Equal(t, float64(5), all["total"])
	require.Equal(t, float64(1), all["page"])
	require.Equal(t, float64(50), all["page_size"])
	items := all["items"].([]any)
	require.Len(t, items, 5)
	require.Equal(t, float64(refs[4]), items[0].(map[string]any)["ref"], "newest first")

	p2 := page("?page=2&page_size=2")
	require.Equal(t, float64(5), p2["total"])
	require.Len(t, p2["items"].([]any), 2)
	require.Equal(t, float64(refs[2]), p2["items"].([]any)[0].(map[string]any)["ref"])
	require.Len(t, page("?page=3&page_size=2")["items"].([]any), 1)
	require.Empty(t, page("?page=4&page_size=2")["items"].([]any))

	approved := page("?status=approved")
	require.Equal(t, float64(1), approved["total"])
	require.Equal(t, float64(2), page("?status=APPROVED,SUBMITTED&page_size=2")["page_size"])
	require.Equal(t, float64(5), page("?status=APPROVED&status=SUBMITTED")["total"])
	require.Equal(t, float64(5), page("?from=2025-03-10&to=2025-03-10")["total"])
	require.Equal(t, float64(0), page("?from=2025-03-11")["total"])
	require.Equal(t, float64(0), page("?to=2025-03-09")["total"])

	for _, tc := range []struct{ query, field string }{
		{"?page=0", "page"}, {"?page=x", "page"}, {"?page_size=201", "page_size"},
		{"?page_size=-1", "page_size"}, {"?status=LOST", "status"}, {"?from=10.03.2025", "from"},
		{"?to=2025-13-01", "to"}, {"?from=2025-03-12&to=2025-03-10", "to"},
	} {
		p := e.get(demo, "/v1/loans"+tc.query).problem(t, http.StatusBadRequest)
		require.Equal(t, []string{tc.field}, p.fields(), tc.query)
	}
}

func TestCancel(t *testing.T) {
	e := newEnv(t)
	ref := e.submit(demo, "c")
	e.engine.NextStatus = lending.StatusCancelled
	res := e.post(demo, fmt.Sprintf("/v1/loans/%d/cancel", ref), map[string]any{"reason": "changed mind"}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "CANCELLED", res.json(t)["status"])
	u := e.engine.LastUpdate(t)
	require.Equal(t, testkit.UpdateCall{Ref: ref, Name: workflows.UpdateCancel, ID: "cancel",
		Arg: workflows.DecisionRequest{Actor: "partner:demo", Reason: "changed mind"}}, u)

	// No body at all is fine too.
	res = e.do(request{method: http.MethodPost, path: fmt.Sprintf("/v1/loans/%d/cancel", ref), creds: &demo})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())

	e.engine.UpdateErr = &failure.Error{Kind: failure.KindConflict, Type: "illegal-transition", Detail: "a CANCELLED loan cannot be cancelled"}
	p := e.post(demo, fmt.Sprintf("/v1/loans/%d/cancel", ref), nil, nil).problem(t, http.StatusConflict)
	require.Equal(t, "a CANCELLED loan cannot be cancelled", p.Detail)
	require.Contains(t, p.Type, "illegal-transition")
}

func TestEngineErrorKinds(t *testing.T) {
	cases := []struct {
		err    error
		status int
	}{
		{&failure.Error{Kind: failure.KindConflict, Type: "illegal-transition", Detail: "illegal"}, http.StatusConflict},
		{&failure.Error{Kind: failure.KindForbidden, Detail: "four eyes"}, http.StatusForbidden},
		{&failure.Error{Kind: failure.KindInvalid, Detail: "bad argument"}, http.StatusBadRequest},
		{&failure.Error{Kind: failure.KindNotFound, Detail: "no workflow"}, http.StatusNotFound},
		{&failure.Error{Kind: failure.KindUnavailable, Detail: "the loan engine is unavailable, retry later"}, http.StatusServiceUnavailable},
		{fmt.Errorf("dial tcp 10.0.0.1:7233: secret-password"), http.StatusServiceUnavailable},
	}
	e := newEnv(t)
	ref := e.submit(demo, "kinds")
	for _, tc := range cases {
		t.Run(tc.err.Error(), func(t *testing.T) {
			e.engine.UpdateErr = tc.err
			res := e.post(demo, fmt.Sprintf("/v1/loans/%d/cancel", ref), nil, nil)
			p := res.problem(t, tc.status)
			require.NotContains(t, res.Body.String(), "secret-password", "causes are logged, never answered")
			require.NotEmpty(t, p.Detail)
		})
	}
}

func TestCashRelease(t *testing.T) {
	e := newEnv(t)
	approved := e.insertLoan("demo", lending.StatusApproved, "2000.00")
	authorized := e.insertLoan("demo", lending.StatusCashReleaseAuthorized, "2000.00")
	for _, tc := range []struct {
		ref     int64
		allowed bool
		status  string
	}{{approved.Ref, false, "APPROVED"}, {authorized.Ref, true, "CASH_RELEASE_AUTHORIZED"}} {
		res := e.get(demo, fmt.Sprintf("/v1/loans/%d/cash-release", tc.ref))
		require.Equal(t, http.StatusOK, res.Code)
		require.Equal(t, map[string]any{"allowed": tc.allowed, "status": tc.status}, res.json(t))
	}
}

func TestConfirmDisbursement(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan("demo", lending.StatusCashReleaseAuthorized, "2000.00")
	path := fmt.Sprintf("/v1/loans/%d/disbursement", l.Ref)
	e.engine.NextStatus = lending.StatusActive

	res := e.post(demo, path, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "ACTIVE", res.json(t)["status"])
	require.Equal(t, testkit.UpdateCall{Ref: l.Ref, Name: workflows.UpdateConfirmDisbursement, ID: "disburse",
		Arg: workflows.DisbursementRequest{Actor: "partner:demo", Date: time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)}},
		e.engine.LastUpdate(t))

	res = e.post(demo, path, map[string]any{"disbursed_on": "2025-03-08"}, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, time.Date(2025, 3, 8, 0, 0, 0, 0, time.UTC), e.engine.LastUpdate(t).Arg.(workflows.DisbursementRequest).Date)

	p := e.post(demo, path, map[string]any{"disbursed_on": "March 8"}, nil).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"disbursed_on"}, p.fields())
}

func TestRepay(t *testing.T) {
	e := newEnv(t)
	l := e.insertLoan("demo", lending.StatusActive, "2000.00")
	path := fmt.Sprintf("/v1/loans/%d/repayments", l.Ref)
	body := map[string]any{"amount": "369.05", "paid_on": "2025-04-09"}

	res := e.post(demo, path, body, key("pay-1"))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, testkit.UpdateCall{Ref: l.Ref, Name: workflows.UpdateRepay, ID: "repay/partner:demo/pay-1",
		Arg: workflows.RepaymentRequest{Actor: "partner:demo", Key: "pay-1", Amount: decimal.RequireFromString("369.05"),
			PaidOn: time.Date(2025, 4, 9, 0, 0, 0, 0, time.UTC)}}, e.engine.LastUpdate(t))

	// The key was used for another amount: a conflict, not a second payment.
	require.NoError(t, e.store.DB.Create(&models.Transaction{LoanRef: l.Ref, Key: "pay-1", Kind: lending.TxRepayment,
		Amount: decimal.RequireFromString("369.05"), Overpayment: decimal.Zero, ValueDate: testNow, CreatedAt: testNow}).Error)
	before := len(e.engine.Updates())
	p := e.post(demo, path, map[string]any{"amount": "100.00", "paid_on": "2025-04-09"}, key("pay-1")).problem(t, http.StatusConflict)
	require.Contains(t, p.Type, "idempotency-conflict")
	require.Equal(t, before, len(e.engine.Updates()))

	for _, tc := range []struct {
		name   string
		body   any
		key    string
		fields []string
	}{
		{"no key", body, "", []string{"Idempotency-Key"}},
		{"no amount", map[string]any{"paid_on": "2025-04-09"}, "k", []string{"amount"}},
		{"negative amount", map[string]any{"amount": "-1", "paid_on": "2025-04-09"}, "k", []string{"amount"}},
		{"three decimals", map[string]any{"amount": "1.001", "paid_on": "2025-04-09"}, "k", []string{"amount"}},
		{"bad date", map[string]any{"amount": "1", "paid_on": "22052018"}, "k", []string{"paid_on"}},
		{"no date", map[string]any{"amount": "1"}, "k", []string{"paid_on"}},
		{"unknown field", map[string]any{"amount": "1", "paid_on": "2025-04-09", "date": "x"}, "k", []string{"date"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h map[string]string
			if tc.key != "" {
				h = key(tc.key)
			}
			p := e.post(demo, path, tc.body, h).problem(t, http.StatusBadRequest)
			require.ElementsMatch(t, tc.fields, p.fields())
		})
	}
}

func TestSchedule(t *testing.T) {
	e := newEnv(t)

	approved := e.insertLoan("demo", lending.StatusApproved, "2000.00")
	res := e.get(demo, fmt.Sprintf("/v1/loans/%d/schedule", approved.Ref))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	s := res.json(t)
	require.Len(t, s["installments"].([]any), 6, "projected before pay-out")
	require.Equal(t, "0.00", s["repaid"])
	require.Equal(t, s["total"], s["remaining"])
	row := s["installments"].([]any)[0].(map[string]any)
	require.ElementsMatch(t, []string{"number", "due_date", "total", "paid", "to_be_paid"}, keys(row))
	require.Equal(t, "2025-04-10", row["due_date"])

	active := e.insertLoan("demo", lending.StatusActive, "2000.00")
	rows := e.payOut(active)
	s = e.get(demo, fmt.Sprintf("/v1/loans/%d/schedule", active.Ref)).json(t)
	require.ElementsMatch(t, []string{"installments", "total", "repaid", "remaining"}, keys(s))
	inst := s["installments"].([]any)
	require.Len(t, inst, 6)
	first := inst[0].(map[string]any)
	require.Equal(t, rows[0].Total.StringFixed(2), first["paid"])
	require.Equal(t, "0.00", first["to_be_paid"])
	second := inst[1].(map[string]any)
	require.Equal(t, "0.00", second["paid"])
	require.Equal(t, second["total"], second["to_be_paid"])
	total := decimal.Zero
	for _, r := range rows {
		total = total.Add(r.Total)
	}
	require.Equal(t, total.StringFixed(2), s["total"])
	require.Equal(t, rows[0].Total.StringFixed(2), s["repaid"])
	require.Equal(t, total.Sub(rows[0].Total).StringFixed(2), s["remaining"])

	cancelled := e.insertLoan("demo", lending.StatusCancelled, "2000.00")
	e.get(demo, fmt.Sprintf("/v1/loans/%d/schedule", cancelled.Ref)).problem(t, http.StatusConflict)
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestAgreement(t *testing.T) {
	e := newEnv(t)
	approved := e.insertLoan("demo", lending.StatusApproved, "2000.00")
	res := e.get(demo, fmt.Sprintf("/v1/loans/%d/agreement", approved.Ref))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "application/pdf", res.Header().Get("Content-Type"))
	require.Equal(t, fmt.Sprintf("attachment; filename=agreement_%d_eng.pdf", approved.Ref), res.Header().Get("Content-Disposition"))
	require.True(t, strings.HasPrefix(res.Body.String(), "%PDF"))

	active := e.insertLoan("demo", lending.StatusActive, "2000.00")
	e.payOut(active)
	res = e.get(demo, fmt.Sprintf("/v1/loans/%d/agreement?lang=ron", active.Ref))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.True(t, strings.HasPrefix(res.Body.String(), "%PDF"))
	require.Contains(t, res.Header().Get("Content-Disposition"), "_ron.pdf")

	p := e.get(demo, fmt.Sprintf("/v1/loans/%d/agreement?lang=xx%%0d%%0a", approved.Ref)).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"lang"}, p.fields())

	submitted := e.insertLoan("demo", lending.StatusSubmitted, "2000.00")
	e.get(demo, fmt.Sprintf("/v1/loans/%d/agreement", submitted.Ref)).problem(t, http.StatusConflict)
	rejected := e.insertLoan("demo", lending.StatusRejected, "2000.00")
	e.get(demo, fmt.Sprintf("/v1/loans/%d/agreement", rejected.Ref)).problem(t, http.StatusConflict)
}

// TestSubmitToAnUnintegratedLenderIsRefused: a product routed to a lender
// loanflow has no integration for is refused rather than handled as our
// own; nothing is created.
func TestSubmitToAnUnintegratedLenderIsRefused(t *testing.T) {
	e := newEnv(t)
	prod := models.DevProducts()[0]
	prod.Code, prod.Name, prod.Lender = "acme", "Funded by Acme", "acme"
	require.NoError(t, e.store.UpsertProduct(context.Background(), &prod))
	app := application()
	app["product_code"] = "acme"
	p := e.post(demo, "/v1/loans", app, key("acme-1")).problem(t, http.StatusBadRequest)
	require.Equal(t, []string{"product_code"}, p.fields())
	require.Zero(t, len(e.engine.Starts()))
}

// TestProjectedScheduleKeepsTheLoansProduct: an edit of the product after
// submission changes neither the schedule a partner is shown before pay-out
// nor the agreement's table, since the pay-out will not follow it either.
func TestProjectedScheduleKeepsTheLoansProduct(t *testing.T) {
	e, k := newWorkflowEnv(t)
	l := k.LoanIn(lending.StatusApproved, "2000")
	path := fmt.Sprintf("/v1/loans/%d/schedule", l.Ref)
	before := e.get(demo, path)
	require.Equal(t, http.StatusOK, before.Code, before.Body.String())

	edit := e.do(request{method: http.MethodPatch, path: "/backoffice/v1/products/consumer", creds: &admin,
		body: map[string]any{"annual_interest_rate": "12"}})
	require.Equal(t, http.StatusOK, edit.Code, edit.Body.String())

	after := e.get(demo, path)
	require.Equal(t, http.StatusOK, after.Code, after.Body.String())
	require.Equal(t, before.json(t)["total"], after.json(t)["total"], "the loan's own product prices it")
	newLoan := k.LoanIn(lending.StatusApproved, "2000")
	fresh := e.get(demo, fmt.Sprintf("/v1/loans/%d/schedule", newLoan.Ref)).json(t)
	require.NotEqual(t, before.json(t)["total"], fresh["total"], "a loan submitted after the edit is priced by it")
}
