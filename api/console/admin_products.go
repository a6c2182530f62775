package console

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/servicing"
)

type productsView struct {
	Products []models.Product
}

func (c *console) productsPage(gc *gin.Context) {
	list, err := c.store.ListProducts(gc.Request.Context())
	if err != nil {
		c.outage(gc, "list products", err)
		return
	}
	c.render(gc, http.StatusOK, "admin_products", "Products", productsView{Products: list}, "")
}

// productForm is the edit form as typed.
type productForm struct {
	Name, MinAmount, MaxAmount, MinTerm, MaxTerm, Rate, DisbursementFee, MonthlyFee string
	MinAge, MaxAge, MaxOpenLoans, ReleaseDays, FourEyes                             string
	Active                                                                          bool
	servicingForm
}

// servicingForm is the product's servicing settings as typed; each field
// is named in the form as servicing.Policy names it, so the policy's own
// messages land next to the right field.
type servicingForm struct {
	AllocationOrder, PrepaymentStrategy, EarlyRepaymentFee, GraceDays, LateFee string
	PenaltyRate, PenaltyCap, Buckets, HolidayInterest, DaysInYear, DaysInMonth string
}

// option is one choice of a select.
type option struct{ Value, Label string }

// The servicing settings' choices, servicing's constants with what they mean.
var (
	allocationOrders = []option{
		{servicing.OrderPenaltiesFeesInterestPrincipal, "Penalties, fees, interest, principal"},
		{servicing.OrderInterestPrincipalPenaltiesFees, "Interest, principal, penalties, fees"},
		{servicing.OrderPrincipalInterestPenaltiesFees, "Principal, interest, penalties, fees"},
		{servicing.OrderDueFirstThenAdvance, "What is past due first, then principal in advance"},
	}
	prepaymentStrategies = []option{
		{servicing.StrategyNextInstallments, "Pay the next installments (schedule unchanged)"},
		{servicing.StrategyReduceInstallment, "Reduce the installment (same term)"},
		{servicing.StrategyReduceTerm, "Reduce the term (same installment)"},
	}
	holidayRules = []option{
		{servicing.HolidayFirstInstallment, "Added to the first moved installment"},
		{servicing.HolidayCapitalize, "Capitalized over the moved installments"},
	}
	daysInYear = []option{
		{"", "The loan terms' day count"}, {servicing.DaysActual, "Actual"},
		{servicing.Days360, "360"}, {servicing.Days365, "365"},
	}
	daysInMonth = []option{{"", "The loan terms' day count"}, {servicing.DaysActual, "Actual"}, {servicing.Days30, "30"}}
)

type productView struct {
	Product *models.Product
	Form    productForm
	Errors  map[string]string
	// The servicing selects' choices.
	AllocationOrders, PrepaymentStrategies, HolidayRules, DaysInYear, DaysInMonth []option
}

func newProductView(p *models.Product, f productForm, errs map[string]string) productView {
	return productView{Product: p, Form: f, Errors: errs, AllocationOrders: allocationOrders,
		PrepaymentStrategies: prepaymentStrategies, HolidayRules: holidayRules, DaysInYear: daysInYear, DaysInMonth: daysInMonth}
}

func formOf(p *models.Product) productForm {
	return productForm{
		Name: p.Name, MinAmount: p.MinAmount.String(), MaxAmount: p.MaxAmount.String(),
		MinTerm: strconv.Itoa(p.MinTermMonths), MaxTerm: strconv.Itoa(p.MaxTermMonths),
		Rate: p.AnnualInterestRate.String(), DisbursementFee: p.DisbursementFeePercent.String(),
		MonthlyFee: p.MonthlyFeePercent.String(), MinAge: strconv.Itoa(p.MinAge), MaxAge: strconv.Itoa(p.MaxAgeAtMaturity),
		MaxOpenLoans: strconv.Itoa(p.MaxOpenLoans), ReleaseDays: strconv.Itoa(p.CashReleaseWindowDays),
		FourEyes: p.FourEyesThreshold.String(), Active: p.Active,
		servicingForm: servicingForm{
			AllocationOrder: p.AllocationOrder, PrepaymentStrategy: p.PrepaymentStrategy,
			EarlyRepaymentFee: p.EarlyRepaymentFeePercent.String(), GraceDays: strconv.Itoa(p.PenaltyGraceDays),
			LateFee: p.LateFee.String(), PenaltyRate: p.PenaltyRate.String(), PenaltyCap: p.PenaltyCapPercent.String(),
			Buckets: p.DelinquencyBuckets, HolidayInterest: p.HolidayInterest,
			DaysInYear: p.AccrualDaysInYear, DaysInMonth: p.AccrualDaysInMonth,
		},
	}
}

func (c *console) targetProduct(gc *gin.Context) (*models.Product, bool) {
	p, err := c.store.GetProduct(gc.Request.Context(), gc.Param("code"))
	switch {
	case err == nil:
		return p, true
	case errors.Is(err, models.ErrNotFound):
		c.notFound(gc, "product")
	default:
		c.outage(gc, "read product", err)
	}
	return nil, false
}

func (c *console) productPage(gc *gin.Context) {
	p, ok := c.targetProduct(gc)
	if !ok {
		return
	}
	c.render(gc, http.StatusOK, "admin_product", "Product "+p.Code, newProductView(p, formOf(p), map[string]string{}), "")
}

// parseProduct applies the form to a copy of p, noting each bad field.
func parseProduct(p *models.Product, f productForm, errs map[string]string) models.Product {
	out := *p
	out.Name = f.Name
	if f.Name == "" || len([]rune(f.Name)) > 100 {
		errs["name"] = "Give the product a name (up to 100 characters)."
	}
	dec := func(field, s string, lo, hi decimal.Decimal, places int32, msg string) decimal.Decimal {
		d, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
		if err != nil || d.LessThan(lo) || d.GreaterThan(hi) || !d.Equal(d.Truncate(places)) {
			errs[field] = msg
			return decimal.Zero
		}
		return d
	}
	num := func(field, s string, lo, hi int) int {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < lo || n > hi {
			errs[field] = fmt.Sprintf("A whole number from %d to %d.", lo, hi)
		}
		return n
	}
	scale := p.CurrencyDecimals
	moneyMsg := fmt.Sprintf("A positive amount with at most %d decimals.", scale)
	big := decimal.New(1, 12)
	out.MinAmount = dec("min_amount", f.MinAmount, decimal.New(1, -scale), big, scale, moneyMsg)
	out.MaxAmount = dec("max_amount", f.MaxAmount, decimal.New(1, -scale), big, scale, moneyMsg)
	if errs["min_amount"] == "" && errs["max_amount"] == "" && out.MinAmount.GreaterThan(out.MaxAmount) {
		errs["max_amount"] = "Must not be below the minimum amount."
	}
	out.MinTermMonths = num("min_term", f.MinTerm, 1, 600)
	out.MaxTermMonths = num("max_term", f.MaxTerm, 1, 600)
	if errs["min_term"] == "" && errs["max_term"] == "" && out.MinTermMonths > out.MaxTermMonths {
		errs["max_term"] = "Must not be below the minimum term."
	}
	pct := func(hi int64) string { return fmt.Sprintf("A percentage from 0 to %d, at most 4 decimals.", hi) }
	out.AnnualInterestRate = dec("rate", f.Rate, decimal.Zero, decimal.NewFromInt(1000), 4, pct(1000))
	out.DisbursementFeePercent = dec("disbursement_fee", f.DisbursementFee, decimal.Zero, decimal.NewFromInt(100), 4, pct(100))
	out.MonthlyFeePercent = dec("monthly_fee", f.MonthlyFee, decimal.Zero, decimal.NewFromInt(100), 4, pct(100))
	out.MinAge = num("min_age", f.MinAge, 18, 100)
	out.MaxAgeAtMaturity = num("max_age", f.MaxAge, 18, 120)
	if errs["min_age"] == "" && errs["max_age"] == "" && out.MaxAgeAtMaturity <= out.MinAge {
		errs["max_age"] = "Must be above the minimum age."
	}
	out.MaxOpenLoans = num("max_open_loans", f.MaxOpenLoans, 1, 100)
	out.CashReleaseWindowDays = num("release_days", f.ReleaseDays, 1, 365)
	out.FourEyesThreshold = dec("four_eyes", f.FourEyes, decimal.Zero, big, scale,
		fmt.Sprintf("An amount with at most %d decimals; 0 means one approval is always enough.", scale))
	out.Active = f.Active
	parseServicing(&out, f.servicingForm, errs)
	return out
}

// parseServicing reads the servicing settings into p. Numbers that do not
// parse are noted here; whether the settings make sense is
// servicing.Policy's to say.
func parseServicing(p *models.Product, f servicingForm, errs map[string]string) {
	number := func(field, s string) decimal.Decimal {
		d, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
		if err != nil {
			errs[field] = "A number such as 0, 1.5 or 25."
		}
		return d
	}
	p.AllocationOrder, p.PrepaymentStrategy, p.HolidayInterest = f.AllocationOrder, f.PrepaymentStrategy, f.HolidayInterest
	p.AccrualDaysInYear, p.AccrualDaysInMonth = f.DaysInYear, f.DaysInMonth
	p.EarlyRepaymentFeePercent = number("early_repayment_fee_percent", f.EarlyRepaymentFee)
	p.LateFee = number("late_fee", f.LateFee)
	p.PenaltyRate = number("penalty_rate", f.PenaltyRate)
	p.PenaltyCapPercent = number("penalty_cap_percent", f.PenaltyCap)
	days, err := strconv.Atoi(strings.TrimSpace(f.GraceDays))
	if err != nil {
		errs["penalty_grace_days"] = "A whole number of days."
	}
	p.PenaltyGraceDays = days
	var bounds []int
	for _, b := range strings.Split(f.Buckets, ",") {
		if b = strings.TrimSpace(b); b == "" {
			continue
		}
		n, err := strconv.Atoi(b)
		if err != nil {
			errs["buckets"] = "Whole numbers of days past due, separated by commas, such as 30,60,90."
			break
		}
		bounds = append(bounds, n)
	}
	p.DelinquencyBuckets = models.FormatBuckets(bounds)
	policyProblems(p.Policy().Validate(), errs)
}

// policyProblems notes servicing.Policy's problems on their fields, after
// any the form's parsing found first.
func policyProblems(problems []servicing.FieldProblem, errs map[string]string) {
	for _, pr := range problems {
		if errs[pr.Field] == "" {
			errs[pr.Field] = sentence(pr.Message)
		}
	}
}

// productChanges lists what an edit changes, for the audit log.
func productChanges(old, upd productForm) string {
	var parts []string
	add := func(field, a, b string) {
		if a != b {
			parts = append(parts, field+": "+a+" → "+b)
		}
	}
	add("name", old.Name, upd.Name)
	add("min_amount", old.MinAmount, upd.MinAmount)
	add("max_amount", old.MaxAmount, upd.MaxAmount)
	add("min_term_months", old.MinTerm, upd.MinTerm)
	add("max_term_months", old.MaxTerm, upd.MaxTerm)
	add("annual_interest_rate", old.Rate, upd.Rate)
	add("disbursement_fee_percent", old.DisbursementFee, upd.DisbursementFee)
	add("monthly_fee_percent", old.MonthlyFee, upd.MonthlyFee)
	add("min_age", old.MinAge, upd.MinAge)
	add("max_age_at_maturity", old.MaxAge, upd.MaxAge)
	add("max_open_loans", old.MaxOpenLoans, upd.MaxOpenLoans)
	add("cash_release_window_days", old.ReleaseDays, upd.ReleaseDays)
	add("four_eyes_threshold", old.FourEyes, upd.FourEyes)
	add("active", strconv.FormatBool(old.Active), strconv.FormatBool(upd.Active))
	add("allocation_order", old.AllocationOrder, upd.AllocationOrder)
	add("prepayment_strategy", old.PrepaymentStrategy, upd.PrepaymentStrategy)
	add("early_repayment_fee_percent", old.EarlyRepaymentFee, upd.EarlyRepaymentFee)
	add("penalty_grace_days", old.GraceDays, upd.GraceDays)
	add("late_fee", old.LateFee, upd.LateFee)
	add("penalty_rate", old.PenaltyRate, upd.PenaltyRate)
	add("penalty_cap_percent", old.PenaltyCap, upd.PenaltyCap)
	add("delinquency_buckets", old.Buckets, upd.Buckets)
	add("holiday_interest", old.HolidayInterest, upd.HolidayInterest)
	add("accrual_days_in_year", old.DaysInYear, upd.DaysInYear)
	add("accrual_days_in_month", old.DaysInMonth, upd.DaysInMonth)
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, "; ")
}

// updateProduct saves new terms. They must price a loan at both ends of
// the ranges, so a typo cannot leave a product that quotes nothing.
func (c *console) updateProduct(gc *gin.Context) {
	st := staffOf(gc)
	p, ok := c.targetProduct(gc)
	if !ok {
		return
	}
	form := gc.Request.PostForm
	f := productForm{
		Name: strings.TrimSpace(form.Get("name")), MinAmount: form.Get("min_amount"), MaxAmount: form.Get("max_amount"),
		MinTerm: form.Get("min_term"), MaxTerm: form.Get("max_term"), Rate: form.Get("rate"),
		DisbursementFee: form.Get("disbursement_fee"), MonthlyFee: form.Get("monthly_fee"),
		MinAge: form.Get("min_age"), MaxAge: form.Get("max_age"), MaxOpenLoans: form.Get("max_open_loans"),
		ReleaseDays: form.Get("release_days"), FourEyes: form.Get("four_eyes"), Active: form.Get("active") == "on",
		servicingForm: servicingForm{
			AllocationOrder: form.Get("allocation_order"), PrepaymentStrategy: form.Get("prepayment_strategy"),
			EarlyRepaymentFee: form.Get("early_repayment_fee_percent"), GraceDays: form.Get("penalty_grace_days"),
			LateFee: form.Get("late_fee"), PenaltyRate: form.Get("penalty_rate"), PenaltyCap: form.Get("penalty_cap_percent"),
			Buckets: form.Get("buckets"), HolidayInterest: form.Get("holiday_interest"),
			DaysInYear: form.Get("days_in_year"), DaysInMonth: form.Get("days_in_month"),
		},
	}
	errs := map[string]string{}
	upd := parseProduct(p, f, errs)
	if len(errs) == 0 {
		today := lending.Day(c.now())
		for _, probe := range []struct {
			amount decimal.Decimal
			months int
		}{{upd.MinAmount, upd.MinTermMonths}, {upd.MaxAmount, upd.MaxTermMonths}} {
			sched, err := upd.Snapshot().Quote(probe.amount, probe.months, today)
			if err != nil {
				errs["rate"] = "These terms cannot price a loan of " + probe.amount.String() + " over " +
					strconv.Itoa(probe.months) + " months: " + err.Error() + "."
				break
			}
			// The workflow opens a paid-out loan's account so; settings it
			// refuses (a late fee finer than the currency) are refused here.
			_, err = servicing.Open(upd.Snapshot().Terms(probe.amount, probe.months, today), sched, upd.Policy())
			if ve := (*servicing.ValidationError)(nil); errors.As(err, &ve) {
				policyProblems(ve.Problems, errs)
				break
			}
		}
	}
	target := "product " + p.Code
	if len(errs) > 0 {
		c.audit(gc, st.Username, actionUpdateProduct, target, models.OutcomeRefused, "invalid input")
		c.render(gc, http.StatusBadRequest, "admin_product", "Product "+p.Code, newProductView(p, f, errs), "The product was not changed.")
		return
	}
	ev := c.event(gc, st.Username, actionUpdateProduct, target, models.OutcomeOK, productChanges(formOf(p), formOf(&upd)))
	if err := c.store.UpdateProductTerms(gc.Request.Context(), &upd, ev); err != nil {
		c.outage(gc, "update product", err)
		return
	}
	c.redirectWithFlash(gc, Prefix+"/admin/products", "Product "+p.Code+" is saved. Loans submitted from now on use the new terms.")
}
