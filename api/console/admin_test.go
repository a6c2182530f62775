package console

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

var secretField = regexp.MustCompile(`<div class="secret" id="secret">([^<]+)</div>`)

// partnerCall calls the partner API with HTTP Basic credentials.
func (e *env) partnerCall(user, pw string) int {
	req := httptest.NewRequest(http.MethodGet, "/v1/loans", nil)
	req.SetBasicAuth(user, pw)
	rec := httptest.NewRecorder()
	e.router.ServeHTTP(rec, req)
	return rec.Code
}

func TestAdminCreatesStaff(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(admin)
	res := b.post(Prefix+"/admin/staff", url.Values{"username": {"alice"}, "name": {"Alice Example"}, "role": {"operations"}})
	require.Equal(t, http.StatusOK, res.Code)
	require.Equal(t, "no-store", res.Header().Get("Cache-Control"), "the password is not cached")
	secret := field(secretField, res.Body.String())
	require.Len(t, secret, models.GeneratedPasswordLen)
	lacks(t, b.get(Prefix+"/admin/staff").Body.String(), secret, "shown once")
	ev := e.lastEvent(actionCreateStaff)
	require.Equal(t, models.OutcomeOK, ev.Outcome)
	require.Equal(t, "staff alice", ev.Target)
	lacks(t, ev.Detail, secret)

	alice := e.signedIn(creds{User: "alice", Password: secret})
	has(t, alice.last, "<h1>Document review</h1>")

	cases := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"taken username", url.Values{"username": {"alice"}, "name": {"Other Alice"}, "role": {"admin"}}, "This username is taken."},
		{"bad username", url.Values{"username": {"Al Ice"}, "name": {"Al"}, "role": {"admin"}}, models.UsernameRule},
		{"no name", url.Values{"username": {"bob"}, "name": {" "}, "role": {"admin"}}, "Give the person&#39;s name"},
		{"unknown role", url.Values{"username": {"bob"}, "name": {"Bob"}, "role": {"root"}}, "Choose a role."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.post(Prefix+"/admin/staff", tc.form)
			require.Equal(t, http.StatusBadRequest, res.Code)
			has(t, res.Body.String(), tc.field)
			require.Equal(t, models.OutcomeRefused, e.lastEvent(actionCreateStaff).Outcome)
		})
	}
	_, err := e.store.StaffByUsername(context.Background(), "bob")
	require.ErrorIs(t, err, models.ErrNotFound)
}

func TestAdminDisablesAndEnablesStaff(t *testing.T) {
	e := newEnv(t)
	victim := e.signedIn(operations)
	b := e.signedIn(admin)
	id := e.staff(operations).ID
	has(t, b.get(Prefix+"/admin/staff").Body.String(), fmt.Sprintf(`<form class="inline" method="post" action="/backoffice/admin/staff/%d/disable">`, id))
	res := b.post(fmt.Sprintf("%s/admin/staff/%d/disable", Prefix, id), nil)
	require.Equal(t, http.StatusSeeOther, res.Code)
	has(t, b.follow(res), "operations is disabled. Their open sessions have ended.")
	require.False(t, e.staff(operations).Active)
	require.Equal(t, http.StatusSeeOther, victim.get(Prefix+"/documents").Code, "signed out at once")
	require.Equal(t, http.StatusUnauthorized, e.browser().trySignIn(operations).Code)

	b.get(Prefix + "/admin/staff")
	res = b.post(fmt.Sprintf("%s/admin/staff/%d/enable", Prefix, id), nil)
	require.Equal(t, http.StatusSeeOther, res.Code)
	require.True(t, e.staff(operations).Active)
	require.Equal(t, http.StatusSeeOther, e.browser().trySignIn(operations).Code)
	require.Equal(t, "staff operations", e.lastEvent(actionEnableStaff).Target)
}

func TestAdminCannotLockThemselvesOut(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(admin)
	id := e.staff(admin).ID
	for _, action := range []string{"disable", "reset-password", "role"} {
		t.Run(action, func(t *testing.T) {
			b.get(Prefix + "/admin/staff")
			res := b.post(fmt.Sprintf("%s/admin/staff/%d/%s", Prefix, id, action), url.Values{"role": {"underwriter"}})
			require.Equal(t, http.StatusConflict, res.Code)
			has(t, res.Body.String(), "ask another admin")
		})
	}
	st := e.staff(admin)
	require.True(t, st.Active)
	require.Equal(t, lending.RoleAdmin, st.Role)
}

func TestAdminResetsPassword(t *testing.T) {
	e := newEnv(t)
	victim := e.signedIn(underwriter)
	b := e.signedIn(admin)
	res := b.post(fmt.Sprintf("%s/admin/staff/%d/reset-password", Prefix, e.staff(underwriter).ID), nil)
	require.Equal(t, http.StatusOK, res.Code)
	secret := field(secretField, res.Body.String())
	require.Len(t, secret, models.GeneratedPasswordLen)
	require.Equal(t, http.StatusSeeOther, victim.get(Prefix+"/loans").Code, "sessions ended")
	require.Equal(t, http.StatusUnauthorized, e.browser().trySignIn(underwriter).Code)
	require.Equal(t, http.StatusSeeOther, e.browser().trySignIn(creds{User: "underwriter", Password: secret}).Code)
}

func TestAdminChangesRole(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusSubmitted, "2000", time.Hour)
	moved := e.signedIn(underwriter2)
	form := moved.openLoan(l.Ref)
	b := e.signedIn(admin)
	res := b.post(fmt.Sprintf("%s/admin/staff/%d/role", Prefix, e.staff(underwriter2).ID), url.Values{"role": {"operations"}})
	require.Equal(t, http.StatusSeeOther, res.Code)
	has(t, b.follow(res), "underwriter2 is now operations.")
	require.Equal(t, "underwriter → operations", e.lastEvent(actionChangeRole).Detail)
	// The open session has the new role from its next request.
	require.Equal(t, http.StatusForbidden, moved.post(loanURL(l.Ref)+"/approve", form).Code)

	res = b.post(fmt.Sprintf("%s/admin/staff/%d/role", Prefix, e.staff(underwriter2).ID), url.Values{"role": {"superuser"}})
	require.Equal(t, http.StatusBadRequest, res.Code)
	require.Equal(t, http.StatusNotFound, b.post(Prefix+"/admin/staff/9999/disable", nil).Code)
	b.get(Prefix + "/admin/staff")
	require.Equal(t, http.StatusNotFound, b.post(Prefix+"/admin/staff/x/disable", nil).Code)
}

func TestAdminManagesPartners(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(admin)
	res := b.post(Prefix+"/admin/partners", url.Values{
		"username": {"shopco"}, "name": {"Shop & Co"}, "partner_type": {"retail"}, "default_product": {"consumer"},
	})
	require.Equal(t, http.StatusOK, res.Code)
	first := field(secretField, res.Body.String())
	require.Len(t, first, partnerSecretLen)
	p, err := e.store.PartnerByUsername(context.Background(), "shopco")
	require.NoError(t, err)
	require.Equal(t, "retail", p.PartnerType)

	// Rotation: the new secret works and the old one stops working.
	res = b.post(fmt.Sprintf("%s/admin/partners/%d/rotate", Prefix, p.ID), nil)
	require.Equal(t, http.StatusOK, res.Code)
	second := field(secretField, res.Body.String())
	require.NotEqual(t, first, second)
	require.Equal(t, http.StatusUnauthorized, e.partnerCall("shopco", first))
	require.Equal(t, http.StatusOK, e.partnerCall("shopco", second))
	require.Equal(t, "partner shopco", e.lastEvent(actionRotatePartner).Target)

	res = b.post(fmt.Sprintf("%s/admin/partners/%d/disable", Prefix, p.ID), nil)
	require.Equal(t, http.StatusSeeOther, res.Code)
	has(t, b.follow(res), "Partner shopco is disabled")
	p, err = e.store.PartnerByUsername(context.Background(), "shopco")
	require.NoError(t, err)
	require.False(t, p.Active)

	cases := []struct {
		name string
		form url.Values
		msg  string
	}{
		{"taken", url.Values{"username": {"demo"}, "name": {"X"}, "partner_type": {"post"}, "default_product": {"consumer"}}, "This username is taken."},
		{"bad type", url.Values{"username": {"newco"}, "name": {"X"}, "partner_type": {"Big Shop"}, "default_product": {"consumer"}}, "A short lower-case word"},
		{"no product", url.Values{"username": {"newco"}, "name": {"X"}, "partner_type": {"post"}, "default_product": {"gold"}}, "Choose a product."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.post(Prefix+"/admin/partners", tc.form)
			require.Equal(t, http.StatusBadRequest, res.Code)
			has(t, res.Body.String(), tc.msg)
		})
	}
	require.Equal(t, http.StatusNotFound, b.post(Prefix+"/admin/partners/9999/rotate", nil).Code)
}

// productForm returns the edit form of a product as the page fills it.
func productFormValues(p *models.Product) url.Values {
	f := formOf(p)
	v := url.Values{
		"name": {f.Name}, "min_amount": {f.MinAmount}, "max_amount": {f.MaxAmount}, "min_term": {f.MinTerm},
		"max_term": {f.MaxTerm}, "rate": {f.Rate}, "disbursement_fee": {f.DisbursementFee}, "monthly_fee": {f.MonthlyFee},
		"min_age": {f.MinAge}, "max_age": {f.MaxAge}, "max_open_loans": {f.MaxOpenLoans}, "release_days": {f.ReleaseDays},
		"four_eyes": {f.FourEyes}, "approval_sla": {f.ApprovalSLA},
		"allocation_order": {f.AllocationOrder}, "prepayment_strategy": {f.PrepaymentStrategy},
		"early_repayment_fee_percent": {f.EarlyRepaymentFee}, "penalty_grace_days": {f.GraceDays},
		"late_fee": {f.LateFee}, "penalty_rate": {f.PenaltyRate}, "penalty_cap_percent": {f.PenaltyCap},
		"buckets": {f.Buckets}, "holiday_interest": {f.HolidayInterest},
		"accrual_days_in_year": {f.AccrualDaysInYear}, "accrual_days_in_month": {f.AccrualDaysInMonth},
		"interest_method": {f.InterestMethod}, "amortization": {f.Amortization},
		"interest_calculation_period": {f.InterestCalculationPeriod}, "days_in_year": {f.DaysInYear},
		"days_in_month": {f.DaysInMonth}, "repayment_every": {f.RepaymentEvery}, "grace_on_principal": {f.GraceOnPrincipal},
		"grace_on_interest_payment": {f.GraceOnInterestPayment}, "grace_on_interest_charged": {f.GraceOnInterestCharged},
		"rounding_mode": {f.RoundingMode}, "installment_in_multiples_of": {f.InstallmentInMultiplesOf},
		"currency_in_multiples_of": {f.CurrencyInMultiplesOf}, "engine": {f.Engine},
		"fineract_product_id": {f.FineractProductID}, "mambu_product_key": {f.MambuProductKey},
	}
	if f.AllowPartialPeriodInterest {
		v.Set("allow_partial_period_interest", "on")
	}
	if f.Active {
		v.Set("active", "on")
	}
	return v
}

// productEdit is one field of the product form set to a value the form must refuse, naming msg.
type productEdit struct{ field, value, msg string }

// saveProduct posts the consumer product's form, as its edit page fills it, with changes set;
// it requires the save to go through and returns the product before and after.
func (e *env) saveProduct(t *testing.T, b *browser, changes map[string]string) (before, after *models.Product) {
	t.Helper()
	before, err := e.store.GetProduct(context.Background(), "consumer")
	require.NoError(t, err)
	form := productFormValues(before)
	for k, v := range changes {
		form.Set(k, v)
	}
	res := b.post(Prefix+"/admin/products/consumer", form)
	require.Equal(t, http.StatusSeeOther, res.Code, res.Body.String())
	has(t, b.follow(res), "Product consumer is saved.")
	after, err = e.store.GetProduct(context.Background(), "consumer")
	require.NoError(t, err)
	return before, after
}

// requireProductEditsRefused posts p's form with each edit in turn and requires the form back,
// the edit's message next to its field, and p unchanged in the store.
func (e *env) requireProductEditsRefused(t *testing.T, b *browser, p *models.Product, edits []productEdit) {
	t.Helper()
	for _, tc := range edits {
		t.Run(tc.field+" "+tc.value, func(t *testing.T) {
			f := productFormValues(p)
			f.Set(tc.field, tc.value)
			res := b.post(Prefix+"/admin/products/consumer", f)
			require.Equal(t, http.StatusBadRequest, res.Code)
			page := res.Body.String()
			has(t, page, "The product was not changed.")
			require.Regexp(t, `(?s)<label for="`+tc.field+`">[^<]*</label>\s*(<input[^>]*>|<select.*?</select>)\s*(<div class="hint">[^<]*</div>)?\s*<div class="err">[^<]*`+
				regexp.QuoteMeta(html.EscapeString(tc.msg)), page, "the message is next to its field")
			again, err := e.store.GetProduct(context.Background(), "consumer")
			require.NoError(t, err)
			require.Equal(t, *p, *again)
		})
	}
}

func TestAdminEditsProduct(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(admin)
	page := b.get(Prefix + "/admin/products/consumer")
	require.Equal(t, http.StatusOK, page.Code)
	has(t, page.Body.String(), `name="four_eyes" value="30000"`)

	before, after := e.saveProduct(t, b, map[string]string{
		"max_amount": "60,000.50", "four_eyes": "20000", "rate": "29.9", "release_days": "14", "approval_sla": "72",
	})
	require.True(t, decimal.RequireFromString("60000.5").Equal(after.MaxAmount))
	require.True(t, decimal.NewFromInt(20000).Equal(after.FourEyesThreshold))
	require.True(t, decimal.RequireFromString("29.9").Equal(after.AnnualInterestRate))
	require.Equal(t, 14, after.CashReleaseWindowDays)
	require.Equal(t, 72, after.ApprovalSLAHours)
	require.Equal(t, before.Currency, after.Currency)
	require.Equal(t, "max_amount: 50000 → 60000.5; annual_interest_rate: 36 → 29.9; cash_release_window_days: 30 → 14; approval_sla_hours: 0 → 72; four_eyes_threshold: 30000 → 20000",
		e.lastEvent(actionUpdateProduct).Detail)

	e.requireProductEditsRefused(t, b, after, []productEdit{
		{"max_amount", "500", "Must not be below the minimum amount."},
		{"max_amount", "1000.123", "A positive amount with at most 2 decimals."},
		{"rate", "-1", "A percentage from 0 to 1000"},
		{"min_term", "0", "A whole number from 1 to 600."},
		{"max_age", "17", "A whole number from 18 to 120."},
		{"four_eyes", "lots", "0 means one approval is always enough"},
		{"approval_sla", "-3", "A whole number from 0 to 8760."},
		{"name", "", "Give the product a name"},
	})
	require.Equal(t, http.StatusNotFound, b.get(Prefix+"/admin/products/gold").Code)
	products := b.get(Prefix + "/admin/products").Body.String()
	has(t, products, "1,000.00 – 60,000.50 MDL")
	has(t, products, "20,000.00 MDL")
}

func TestAdminEditsServicingSettings(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(admin)
	page := b.get(Prefix + "/admin/products/consumer").Body.String()
	has(t, page, `name="buckets" value="30,60,90"`)
	has(t, page, `<option value="penalties_fees_interest_principal" selected>`)
	has(t, page, `name="late_fee" value="50"`)

	_, after := e.saveProduct(t, b, map[string]string{
		"allocation_order": "due_first_then_advance", "prepayment_strategy": "reduce_term",
		"early_repayment_fee_percent": "0.5", "penalty_grace_days": "5", "late_fee": "25.50",
		"penalty_rate": "18", "penalty_cap_percent": "15", "buckets": " 15, 45 ,90,180",
		"holiday_interest": "capitalize", "accrual_days_in_year": "365", "accrual_days_in_month": "actual",
	})
	require.Equal(t, "due_first_then_advance", after.AllocationOrder)
	require.Equal(t, "reduce_term", after.PrepaymentStrategy)
	require.Equal(t, "0.5", after.EarlyRepaymentFeePercent.String())
	require.Equal(t, 5, after.PenaltyGraceDays)
	require.Equal(t, "25.5", after.LateFee.String())
	require.Equal(t, "18", after.PenaltyRate.String())
	require.Equal(t, "15", after.PenaltyCapPercent.String())
	require.Equal(t, "15,45,90,180", after.DelinquencyBuckets)
	require.Equal(t, "capitalize", after.HolidayInterest)
	require.Equal(t, "365", after.AccrualDaysInYear)
	require.Equal(t, "actual", after.AccrualDaysInMonth)
	has(t, e.lastEvent(actionUpdateProduct).Detail, "delinquency_buckets: 30,60,90 → 15,45,90,180")

	e.requireProductEditsRefused(t, b, after, []productEdit{
		{"allocation_order", "richest_first", "Must be one of"},
		{"prepayment_strategy", "pay_it_all", "Must be one of"},
		{"holiday_interest", "forget_it", "Must be one of"},
		{"accrual_days_in_year", "364", "Must be one of"},
		{"early_repayment_fee_percent", "101", "Must not exceed 100."},
		{"penalty_rate", "-1", "Must not be negative."},
		{"penalty_cap_percent", "lots", "A number such as 0, 1.5 or 25."},
		{"late_fee", "-5", "Must not be negative."},
		{"late_fee", "1.005", "Has more than the currency's 2 decimal places."},
		{"penalty_grace_days", "3.5", "A whole number of days."},
		{"penalty_grace_days", "4000", "Must be between 0 and 3650."},
		{"buckets", "60,30", "Must be positive day counts in ascending order."},
		{"buckets", "30,sixty", "Whole numbers of days past due"},
	})
}

func TestAuditPage(t *testing.T) {
	e := newEnv(t)
	e.browser().trySignIn(creds{User: "underwriter", Password: "wrong"})
	b := e.signedIn(admin)
	page := b.get(Prefix + "/admin/audit").Body.String()
	has(t, page, "wrong password")
	has(t, page, "<td>sign_in</td>")
	filtered := b.get(Prefix + "/admin/audit?outcome=failed").Body.String()
	has(t, filtered, "wrong password")
	has(t, filtered, "1–1 of 1")
	lacks(t, filtered, `<span class="badge good">ok</span>`)
	has(t, b.get(Prefix+"/admin/audit?actor=nobody").Body.String(), "No entries match.")
}

func TestChangeOwnPassword(t *testing.T) {
	e := newEnv(t)
	other := e.signedIn(operations)
	b := e.signedIn(operations)
	b.get(Prefix + "/account/password")
	cases := []struct {
		name                  string
		current, next, repeat string
		msg                   string
	}{
		{"wrong current", "nope", "a-much-longer-password", "a-much-longer-password", "This is not your current password."},
		{"too short", "operations-secret", "short", "short", "Use at least 12 characters."},
		{"mismatch", "operations-secret", "a-much-longer-password", "a-much-longer-passw0rd", "The two entries differ."},
		{"unchanged", "operations-secret", "operations-secret", "operations-secret", "Choose a password different"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.post(Prefix+"/account/password", url.Values{"current": {tc.current}, "new": {tc.next}, "confirm": {tc.repeat}})
			require.Equal(t, http.StatusBadRequest, res.Code)
			has(t, res.Body.String(), tc.msg)
		})
	}
	res := b.post(Prefix+"/account/password", url.Values{"current": {"operations-secret"}, "new": {"a-much-longer-password"}, "confirm": {"a-much-longer-password"}})
	require.Equal(t, http.StatusSeeOther, res.Code)
	has(t, b.follow(res), "Your password is changed.")
	require.Equal(t, http.StatusSeeOther, other.get(Prefix+"/documents").Code, "other sessions end")
	require.Equal(t, http.StatusOK, b.get(Prefix+"/documents").Code, "this one goes on")
	require.Equal(t, http.StatusSeeOther, e.browser().trySignIn(creds{User: "operations", Password: "a-much-longer-password"}).Code)
}

func TestAdminCreatesProduct(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(admin)
	has(t, b.get(Prefix+"/admin/products").Body.String(), `id="create-product"`)
	form := url.Values{"code": {"gold"}, "name": {"Gold loan"}, "currency": {"MDL"}, "currency_decimals": {"2"},
		"ledger": {"none"}, "lender": {"self"}}
	res := b.post(Prefix+"/admin/products", form)
	require.Equal(t, http.StatusSeeOther, res.Code, res.Body.String())
	has(t, b.follow(res), "Product gold is created, inactive")
	p, err := e.store.GetProduct(context.Background(), "gold")
	require.NoError(t, err)
	require.Equal(t, "Gold loan", p.Name)
	require.False(t, p.Active, "inactive until its terms are reviewed")
	require.Equal(t, models.OutcomeOK, e.lastEvent(actionCreateProduct).Outcome)

	res = b.post(Prefix+"/admin/products", form)
	require.Equal(t, http.StatusBadRequest, res.Code)
	has(t, res.Body.String(), "A product with this code exists.")
	form.Set("code", "silver")
	form.Set("lender", "bank")
	res = b.post(Prefix+"/admin/products", form)
	require.Equal(t, http.StatusBadRequest, res.Code)
	has(t, res.Body.String(), "The product was not created.")
	_, err = e.store.GetProduct(context.Background(), "silver")
	require.ErrorIs(t, err, models.ErrNotFound)
}

func TestAdminEditsScheduleSettings(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(admin)
	page := b.get(Prefix + "/admin/products/consumer").Body.String()
	has(t, page, `<option value="declining_balance" selected>`)
	has(t, page, `name="repayment_every" value="1"`)

	before, after := e.saveProduct(t, b, map[string]string{
		"interest_method": "flat", "repayment_every": "3", "days_in_year": "365", "rounding_mode": "half_up",
		"allow_partial_period_interest": "on",
	})
	want := before.Schedule
	want.InterestMethod, want.RepaymentEvery, want.DaysInYear, want.RoundingMode = "flat", 3, "365", "half_up"
	want.AllowPartialPeriodInterest = true
	require.Equal(t, want, after.Schedule)
	has(t, e.lastEvent(actionUpdateProduct).Detail, "interest_method: declining_balance → flat")
	has(t, e.lastEvent(actionUpdateProduct).Detail, "repayment_every: 1 → 3")
	has(t, b.get(Prefix+"/admin/products/consumer").Body.String(), `<option value="flat" selected>`)

	e.requireProductEditsRefused(t, b, after, []productEdit{
		{"interest_method", "simple", "Must be one of declining_balance, flat"},
		{"amortization", "balloon", "Must be one of equal_installments, equal_principal"},
		{"days_in_month", "31", "Must be one of actual, 30"},
		{"engine", "quantum", "Must be one of cumulative, progressive"},
		{"repayment_every", "2", "Must divide the minimum and maximum terms (3 and 36 months)"},
		{"repayment_every", "two", "A whole number of months."},
		{"grace_on_principal", "1", "Must be less than the 1 repayments of a 3-month loan"},
		{"grace_on_interest_charged", "-1", "Must not be negative"},
		{"currency_in_multiples_of", "100", "Applies only to a currency without decimals"},
	})
}

// A product booked in a ledger names its ledger product in the console's
// forms, and is refused without one when the deployment has no default.
func TestAdminNamesTheLedgerProduct(t *testing.T) {
	e := newEnv(t)
	e.mount(service.New(service.Deps{Store: e.store, Engine: e.kit.Engine, Now: e.clock.Now, Logger: e.kit.Logger}))
	b := e.signedIn(admin)
	form := url.Values{"code": {"gold"}, "name": {"Gold loan"}, "currency": {"MDL"}, "currency_decimals": {"2"},
		"ledger": {"mambu"}, "lender": {"self"}}
	res := b.post(Prefix+"/admin/products", form)
	require.Equal(t, http.StatusBadRequest, res.Code)
	has(t, res.Body.String(), "LOANFLOW_MAMBU_PRODUCT_KEY is not set")
	_, err := e.store.GetProduct(context.Background(), "gold")
	require.ErrorIs(t, err, models.ErrNotFound)

	form.Set("mambu_product_key", "8a8e878e71c7a4d70171ca4a4a7e1b2c")
	res = b.post(Prefix+"/admin/products", form)
	require.Equal(t, http.StatusSeeOther, res.Code, res.Body.String())
	p, err := e.store.GetProduct(context.Background(), "gold")
	require.NoError(t, err)
	require.Equal(t, lending.LedgerProducts{MambuProductKey: "8a8e878e71c7a4d70171ca4a4a7e1b2c"}, p.LedgerProducts)

	page := b.get(Prefix + "/admin/products/gold").Body.String()
	has(t, page, `name="mambu_product_key" value="8a8e878e71c7a4d70171ca4a4a7e1b2c"`)
	edit := productFormValues(p)
	edit.Set("mambu_product_key", "")
	res = b.post(Prefix+"/admin/products/gold", edit)
	require.Equal(t, http.StatusBadRequest, res.Code)
	has(t, res.Body.String(), "LOANFLOW_MAMBU_PRODUCT_KEY is not set")
	edit.Set("mambu_product_key", "8a8e878e71c7a4d70171ca4a4a7e9999")
	res = b.post(Prefix+"/admin/products/gold", edit)
	require.Equal(t, http.StatusSeeOther, res.Code, res.Body.String())
	p, err = e.store.GetProduct(context.Background(), "gold")
	require.NoError(t, err)
	require.Equal(t, "8a8e878e71c7a4d70171ca4a4a7e9999", p.LedgerProducts.MambuProductKey)

	form = url.Values{"code": {"silver"}, "name": {"Silver"}, "currency": {"MDL"}, "currency_decimals": {"2"},
		"ledger": {"fineract"}, "lender": {"self"}, "fineract_product_id": {"twelve"}}
	res = b.post(Prefix+"/admin/products", form)
	require.Equal(t, http.StatusBadRequest, res.Code)
	has(t, res.Body.String(), "The id of a Fineract loan product")
}
