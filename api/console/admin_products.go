package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/schedule"
	"github.com/loanflow/loanflow/service"
	"github.com/loanflow/loanflow/servicing"
)

type productsView struct {
	Products []models.Product
	// The new-product form, its choices and its problems.
	Form    newProductForm
	Ledgers []option
	Lenders []option
	Errors  map[string]string
}

// options are a select's choices, each labelled as it is named.
func options[T ~string](values []T) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{string(v), string(v)}
	}
	return out
}

// newProductForm is the new-product form as typed.
type newProductForm struct {
	Code, Name, Currency, Decimals, Ledger, Lender string
	ledgerProductForm
}

// ledgerProductForm is the ledger product a product's loans are booked
// under, as typed: empty leaves it to the deployment's default.
type ledgerProductForm struct{ FineractProductID, MambuProductKey string }

func ledgerProductFormOf(p lending.LedgerProducts) ledgerProductForm {
	f := ledgerProductForm{MambuProductKey: p.MambuProductKey}
	if p.FineractProductID != 0 {
		f.FineractProductID = strconv.FormatInt(p.FineractProductID, 10)
	}
	return f
}

// readInto reads f into c; an id that is not a number is noted
// under the service's field name.
func (f ledgerProductForm) readInto(c *service.ProductChange) {
	id := int64(0)
	if s := strings.TrimSpace(f.FineractProductID); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			c.DecodeErrors.Add("fineract_product_id", "the id of a Fineract loan product, a whole number; empty for the deployment's")
		}
		id = n
	}
	key := strings.TrimSpace(f.MambuProductKey)
	c.FineractProductID, c.MambuProductKey = &id, &key
}

func ledgerProductFormFrom(form interface{ Get(string) string }) ledgerProductForm {
	return ledgerProductForm{FineractProductID: form.Get("fineract_product_id"), MambuProductKey: form.Get("mambu_product_key")}
}

func (c *console) productsPage(gc *gin.Context) {
	defaults := service.NewProductDefaults()
	f := newProductForm{Currency: defaults.Currency, Decimals: strconv.Itoa(int(defaults.CurrencyDecimals)),
		Ledger: string(defaults.Ledger), Lender: string(defaults.Lender)}
	c.showProducts(gc, http.StatusOK, f, map[string]string{}, "")
}

// showProducts renders the products page with the new-product form f.
func (c *console) showProducts(gc *gin.Context, status int, f newProductForm, errs map[string]string, errMsg string) {
	list, err := c.svc.ListProducts(gc.Request.Context(), adminOf(gc))
	if err != nil {
		c.adminFailed(gc, err, "products")
		return
	}
	c.render(gc, status, "admin_products", "Products",
		productsView{Products: list, Form: f, Ledgers: options(lending.Ledgers), Lenders: options(lending.Lenders), Errors: errs}, errMsg)
}

// productForm is the edit form as typed.
type productForm struct {
	Name, MinAmount, MaxAmount, MinTerm, MaxTerm, Rate, DisbursementFee, MonthlyFee string
	MinAge, MaxAge, MaxOpenLoans, ReleaseDays, FourEyes                             string
	ApprovalSLA                                                                     string
	Active                                                                          bool
	ledgerProductForm
	servicingForm
	scheduleForm
}

// scheduleForm is the product's schedule settings as typed, each field
// named in the form as the service and the schedule engine name it.
type scheduleForm struct {
	InterestMethod, Amortization, InterestCalculationPeriod, DaysInYear, DaysInMonth string
	RepaymentEvery, GraceOnPrincipal, GraceOnInterestPayment, GraceOnInterestCharged string
	RoundingMode, InstallmentInMultiplesOf, CurrencyInMultiplesOf, Engine            string
	AllowPartialPeriodInterest                                                       bool
}

// servicingForm is the product's servicing settings as typed; each field
// is named in the form as servicing.Policy names it, so the policy's own
// messages land next to the right field.
type servicingForm struct {
	AllocationOrder, PrepaymentStrategy, EarlyRepaymentFee, GraceDays, LateFee string
	PenaltyRate, PenaltyCap, Buckets, HolidayInterest                          string
	AccrualDaysInYear, AccrualDaysInMonth                                      string
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

// The schedule settings' choices, the schedule engine's values with what
// they mean.
var (
	interestMethods = []option{
		{schedule.InterestDecliningBalance, "Declining balance"},
		{schedule.InterestFlat, "Flat (on the original principal)"},
	}
	amortizations = []option{
		{schedule.AmortizationEqualInstallments, "Equal installments (annuity)"},
		{schedule.AmortizationEqualPrincipal, "Equal principal"},
	}
	interestPeriods = []option{
		{schedule.InterestPeriodSameAsRepayment, "Same as the repayment period"},
		{schedule.InterestPeriodDaily, "Daily"},
	}
	scheduleDaysInYear = []option{
		{schedule.DaysActual, "Actual"}, {schedule.Days360, "360"}, {schedule.Days364, "364"}, {schedule.Days365, "365"},
	}
	scheduleDaysInMonth = []option{{schedule.DaysActual, "Actual"}, {schedule.Days30, "30"}}
	roundingModes       = []option{
		{schedule.RoundHalfEven, "Half even (banker's)"}, {schedule.RoundHalfUp, "Half up"},
		{schedule.RoundDown, "Down (towards zero)"}, {schedule.RoundUp, "Up (away from zero)"},
	}
	engines = []option{
		{schedule.EngineCumulative, "Cumulative"},
		{schedule.EngineProgressive, "Progressive"},
	}
)

// scheduleChoices are the schedule selects' choices.
type scheduleChoices struct {
	InterestMethods, Amortizations, InterestPeriods, ScheduleDaysInYear, ScheduleDaysInMonth, RoundingModes, Engines []option
}

type productView struct {
	Product *models.Product
	Form    productForm
	Errors  map[string]string
	// The servicing selects' choices.
	AllocationOrders, PrepaymentStrategies, HolidayRules, DaysInYear, DaysInMonth []option
	scheduleChoices
}

func newProductView(p *models.Product, f productForm, errs map[string]string) productView {
	return productView{Product: p, Form: f, Errors: errs, AllocationOrders: allocationOrders,
		PrepaymentStrategies: prepaymentStrategies, HolidayRules: holidayRules, DaysInYear: daysInYear, DaysInMonth: daysInMonth,
		scheduleChoices: scheduleChoices{InterestMethods: interestMethods, Amortizations: amortizations,
			InterestPeriods: interestPeriods, ScheduleDaysInYear: scheduleDaysInYear, ScheduleDaysInMonth: scheduleDaysInMonth,
			RoundingModes: roundingModes, Engines: engines}}
}

func formOf(p *models.Product) productForm {
	return productForm{
		Name: p.Name, MinAmount: p.MinAmount.String(), MaxAmount: p.MaxAmount.String(),
		MinTerm: strconv.Itoa(p.MinTermMonths), MaxTerm: strconv.Itoa(p.MaxTermMonths),
		Rate: p.AnnualInterestRate.String(), DisbursementFee: p.DisbursementFeePercent.String(),
		MonthlyFee: p.MonthlyFeePercent.String(), MinAge: strconv.Itoa(p.MinAge), MaxAge: strconv.Itoa(p.MaxAgeAtMaturity),
		MaxOpenLoans: strconv.Itoa(p.MaxOpenLoans), ReleaseDays: strconv.Itoa(p.CashReleaseWindowDays), ApprovalSLA: strconv.Itoa(p.ApprovalSLAHours),
		FourEyes: p.FourEyesThreshold.String(), Active: p.Active,
		ledgerProductForm: ledgerProductFormOf(p.LedgerProducts),
		servicingForm: servicingForm{
			AllocationOrder: p.AllocationOrder, PrepaymentStrategy: p.PrepaymentStrategy,
			EarlyRepaymentFee: p.EarlyRepaymentFeePercent.String(), GraceDays: strconv.Itoa(p.PenaltyGraceDays),
			LateFee: p.LateFee.String(), PenaltyRate: p.PenaltyRate.String(), PenaltyCap: p.PenaltyCapPercent.String(),
			Buckets: p.DelinquencyBuckets, HolidayInterest: p.HolidayInterest,
			AccrualDaysInYear: p.AccrualDaysInYear, AccrualDaysInMonth: p.AccrualDaysInMonth,
		},
		scheduleForm: scheduleFormOf(p.Schedule.Normalized()),
	}
}

func scheduleFormOf(s lending.Schedule) scheduleForm {
	i, i64 := strconv.Itoa, func(n int64) string { return strconv.FormatInt(n, 10) }
	return scheduleForm{
		InterestMethod: s.InterestMethod, Amortization: s.Amortization, InterestCalculationPeriod: s.InterestCalculationPeriod,
		DaysInYear: s.DaysInYear, DaysInMonth: s.DaysInMonth, RepaymentEvery: i(s.RepaymentEvery),
		GraceOnPrincipal: i(s.GraceOnPrincipal), GraceOnInterestPayment: i(s.GraceOnInterestPayment),
		GraceOnInterestCharged: i(s.GraceOnInterestCharged), RoundingMode: s.RoundingMode,
		InstallmentInMultiplesOf: i64(s.InstallmentInMultiplesOf), CurrencyInMultiplesOf: i64(s.CurrencyInMultiplesOf),
		Engine: s.Engine, AllowPartialPeriodInterest: s.AllowPartialPeriodInterest,
	}
}

func (c *console) targetProduct(gc *gin.Context) (*models.Product, bool) {
	p, err := c.svc.Product(gc.Request.Context(), adminOf(gc), gc.Param("code"))
	if err != nil {
		c.adminFailed(gc, err, "product")
		return nil, false
	}
	return p, true
}

func (c *console) productPage(gc *gin.Context) {
	p, ok := c.targetProduct(gc)
	if !ok {
		return
	}
	c.render(gc, http.StatusOK, "admin_product", "Product "+p.Code, newProductView(p, formOf(p), map[string]string{}), "")
}

// formFields maps the service's field names to the edit form's.
var formFields = map[string]string{
	"min_term_months": "min_term", "max_term_months": "max_term", "annual_interest_rate": "rate",
	"disbursement_fee_percent": "disbursement_fee", "monthly_fee_percent": "monthly_fee",
	"max_age_at_maturity": "max_age", "cash_release_window_days": "release_days", "approval_sla_hours": "approval_sla", "four_eyes_threshold": "four_eyes",
}

// changeOf reads the edit form into a change of every field. Text that is
// not a number is noted here, under the service's field name; whether a
// value is in its range is the service's to say.
func changeOf(f productForm) service.ProductChange {
	var c service.ProductChange
	dec := func(field, s, hint string) *decimal.Decimal {
		d, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
		if err != nil {
			c.DecodeErrors.Add(field, "%s", hint)
			return nil
		}
		return &d
	}
	num := func(field, s, hint string) *int {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			c.DecodeErrors.Add(field, "%s", hint)
			return nil
		}
		return &n
	}
	const number, whole = "a number such as 0, 1.5 or 25", "a whole number"
	name := strings.TrimSpace(f.Name)
	c.Name = &name
	c.MinAmount = dec("min_amount", f.MinAmount, "an amount such as 1,000.00")
	c.MaxAmount = dec("max_amount", f.MaxAmount, "an amount such as 50,000.00")
	c.MinTermMonths = num("min_term_months", f.MinTerm, whole)
	c.MaxTermMonths = num("max_term_months", f.MaxTerm, whole)
	c.AnnualInterestRate = dec("annual_interest_rate", f.Rate, number)
	c.DisbursementFeePercent = dec("disbursement_fee_percent", f.DisbursementFee, number)
	c.MonthlyFeePercent = dec("monthly_fee_percent", f.MonthlyFee, number)
	c.MinAge = num("min_age", f.MinAge, whole)
	c.MaxAgeAtMaturity = num("max_age_at_maturity", f.MaxAge, whole)
	c.MaxOpenLoans = num("max_open_loans", f.MaxOpenLoans, whole)
	c.CashReleaseWindowDays = num("cash_release_window_days", f.ReleaseDays, whole)
	c.ApprovalSLAHours = num("approval_sla_hours", f.ApprovalSLA, whole)
	c.FourEyesThreshold = dec("four_eyes_threshold", f.FourEyes, "an amount such as 30000; 0 means one approval is always enough")
	c.Active = &f.Active
	f.ledgerProductForm.readInto(&c)
	sf := f.servicingForm
	c.AllocationOrder, c.PrepaymentStrategy, c.HolidayInterest = &sf.AllocationOrder, &sf.PrepaymentStrategy, &sf.HolidayInterest
	c.AccrualDaysInYear, c.AccrualDaysInMonth = &sf.AccrualDaysInYear, &sf.AccrualDaysInMonth
	c.EarlyRepaymentFeePercent = dec("early_repayment_fee_percent", sf.EarlyRepaymentFee, number)
	c.LateFee = dec("late_fee", sf.LateFee, number)
	c.PenaltyRate = dec("penalty_rate", sf.PenaltyRate, number)
	c.PenaltyCapPercent = dec("penalty_cap_percent", sf.PenaltyCap, number)
	c.PenaltyGraceDays = num("penalty_grace_days", sf.GraceDays, "a whole number of days")
	bounds := []int{}
	for _, b := range strings.Split(sf.Buckets, ",") {
		if b = strings.TrimSpace(b); b == "" {
			continue
		}
		n, err := strconv.Atoi(b)
		if err != nil {
			c.DecodeErrors.Add("buckets", "whole numbers of days past due, separated by commas, such as 30,60,90")
			bounds = nil
			break
		}
		bounds = append(bounds, n)
	}
	if bounds != nil {
		c.Buckets = &bounds
	}
	num64 := func(field, s, hint string) *int64 {
		if n := num(field, s, hint); n != nil {
			v := int64(*n)
			return &v
		}
		return nil
	}
	const periods = "a whole number of repayment periods"
	sc := f.scheduleForm
	c.InterestMethod, c.Amortization, c.InterestCalculationPeriod = &sc.InterestMethod, &sc.Amortization, &sc.InterestCalculationPeriod
	c.DaysInYear, c.DaysInMonth, c.RoundingMode, c.Engine = &sc.DaysInYear, &sc.DaysInMonth, &sc.RoundingMode, &sc.Engine
	c.AllowPartialPeriodInterest = &sc.AllowPartialPeriodInterest
	c.RepaymentEvery = num("repayment_every", sc.RepaymentEvery, "a whole number of months")
	c.GraceOnPrincipal = num("grace_on_principal", sc.GraceOnPrincipal, periods)
	c.GraceOnInterestPayment = num("grace_on_interest_payment", sc.GraceOnInterestPayment, periods)
	c.GraceOnInterestCharged = num("grace_on_interest_charged", sc.GraceOnInterestCharged, periods)
	c.InstallmentInMultiplesOf = num64("installment_in_multiples_of", sc.InstallmentInMultiplesOf, "a whole number; 0 for none")
	c.CurrencyInMultiplesOf = num64("currency_in_multiples_of", sc.CurrencyInMultiplesOf, "a whole number; 0 for none")
	return c
}

// updateProduct saves new terms, checked by the service as the admin API's
// are.
func (c *console) updateProduct(gc *gin.Context) {
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
		ReleaseDays: form.Get("release_days"), ApprovalSLA: form.Get("approval_sla"), FourEyes: form.Get("four_eyes"), Active: form.Get("active") == "on",
		ledgerProductForm: ledgerProductFormFrom(form),
		servicingForm: servicingForm{
			AllocationOrder: form.Get("allocation_order"), PrepaymentStrategy: form.Get("prepayment_strategy"),
			EarlyRepaymentFee: form.Get("early_repayment_fee_percent"), GraceDays: form.Get("penalty_grace_days"),
			LateFee: form.Get("late_fee"), PenaltyRate: form.Get("penalty_rate"), PenaltyCap: form.Get("penalty_cap_percent"),
			Buckets: form.Get("buckets"), HolidayInterest: form.Get("holiday_interest"),
			AccrualDaysInYear: form.Get("accrual_days_in_year"), AccrualDaysInMonth: form.Get("accrual_days_in_month"),
		},
		scheduleForm: scheduleForm{
			InterestMethod: form.Get("interest_method"), Amortization: form.Get("amortization"),
			InterestCalculationPeriod: form.Get("interest_calculation_period"),
			DaysInYear:                form.Get("days_in_year"), DaysInMonth: form.Get("days_in_month"),
			RepaymentEvery: form.Get("repayment_every"), GraceOnPrincipal: form.Get("grace_on_principal"),
			GraceOnInterestPayment: form.Get("grace_on_interest_payment"), GraceOnInterestCharged: form.Get("grace_on_interest_charged"),
			RoundingMode: form.Get("rounding_mode"), InstallmentInMultiplesOf: form.Get("installment_in_multiples_of"),
			CurrencyInMultiplesOf: form.Get("currency_in_multiples_of"), Engine: form.Get("engine"),
			AllowPartialPeriodInterest: form.Get("allow_partial_period_interest") == "on",
		},
	}
	_, err := c.svc.UpdateProduct(gc.Request.Context(), adminOf(gc), p.Code, changeOf(f))
	if err != nil {
		errs, ok := fieldErrors(err, formFields)
		if !ok {
			c.adminFailed(gc, err, "product")
			return
		}
		c.render(gc, http.StatusBadRequest, "admin_product", "Product "+p.Code, newProductView(p, f, errs), "The product was not changed.")
		return
	}
	c.redirectWithFlash(gc, Prefix+"/admin/products", "Product "+p.Code+" is saved. Loans submitted from now on use the new terms.")
}

// createProduct adds a product from the products page's short form: its
// code, name, currency, ledger and lender; every other term takes the
// service's default, for the admin to review on the product's page.
func (c *console) createProduct(gc *gin.Context) {
	form := gc.Request.PostForm
	f := newProductForm{
		Code: strings.TrimSpace(form.Get("code")), Name: strings.TrimSpace(form.Get("name")),
		Currency: strings.TrimSpace(form.Get("currency")), Decimals: strings.TrimSpace(form.Get("currency_decimals")),
		Ledger: form.Get("ledger"), Lender: form.Get("lender"), ledgerProductForm: ledgerProductFormFrom(form),
	}
	ch := service.ProductChange{Code: &f.Code, Name: &f.Name, Currency: &f.Currency}
	f.ledgerProductForm.readInto(&ch)
	ledger, lender := lending.Ledger(f.Ledger), lending.Lender(f.Lender)
	ch.Ledger, ch.Lender = &ledger, &lender
	if n, err := strconv.Atoi(f.Decimals); err == nil {
		ch.CurrencyDecimals = &n
	} else {
		ch.DecodeErrors.Add("currency_decimals", "a whole number from 0 to 4")
	}
	// The defaults are a product inactive until its terms are reviewed.
	inactive := false
	ch.Active = &inactive
	p, err := c.svc.CreateProduct(gc.Request.Context(), adminOf(gc), ch)
	if err != nil {
		errs, ok := fieldErrors(err, nil)
		if !ok {
			c.adminFailed(gc, err, "product")
			return
		}
		c.showProducts(gc, http.StatusBadRequest, f, errs, "The product was not created.")
		return
	}
	c.redirectWithFlash(gc, Prefix+"/admin/products/"+p.Code,
		"Product "+p.Code+" is created, inactive, with the default terms: review them, tick Active and save.")
}
