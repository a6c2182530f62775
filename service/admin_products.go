package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/schedule"
	"github.com/loanflow/loanflow/servicing"
)

// ProductChange is a product's fields as a front end read them, named in
// errors as the admin API names them. A nil field is not given: a creation
// takes its default (NewProductDefaults), an update keeps the value.
type ProductChange struct {
	Code, Name, Currency         *string
	CurrencyDecimals             *int
	MinAmount, MaxAmount         *decimal.Decimal
	MinTermMonths, MaxTermMonths *int
	AnnualInterestRate           *decimal.Decimal
	DisbursementFeePercent       *decimal.Decimal
	MonthlyFeePercent            *decimal.Decimal
	MinAge, MaxAgeAtMaturity     *int
	MaxOpenLoans                 *int
	CashReleaseWindowDays        *int
	ApprovalSLAHours             *int
	FourEyesThreshold            *decimal.Decimal
	Ledger                       *lending.Ledger
	Lender                       *lending.Lender
	// FineractProductID and MambuProductKey name the ledger product its
	// loans are booked under (lending.LedgerProducts); zero or empty: the
	// deployment's default.
	FineractProductID        *int64
	MambuProductKey          *string
	Active                   *bool
	AllocationOrder          *string
	PrepaymentStrategy       *string
	EarlyRepaymentFeePercent *decimal.Decimal
	PenaltyGraceDays         *int
	LateFee, PenaltyRate     *decimal.Decimal
	PenaltyCapPercent        *decimal.Decimal
	Buckets                  *[]int
	HolidayInterest          *string
	// AccrualDaysInYear and AccrualDaysInMonth are servicing's day count
	// (empty: the schedule's); DaysInYear and DaysInMonth the schedule's.
	AccrualDaysInYear, AccrualDaysInMonth *string
	// The schedule settings (lending.Schedule), named as the engine's
	// `loanflow schedule` request names them.
	InterestMethod, Amortization, InterestCalculationPeriod *string
	AllowPartialPeriodInterest                              *bool
	DaysInYear, DaysInMonth                                 *string
	RepaymentEvery                                          *int
	GraceOnPrincipal                                        *int
	GraceOnInterestPayment, GraceOnInterestCharged          *int
	RoundingMode, Engine                                    *string
	InstallmentInMultiplesOf, CurrencyInMultiplesOf         *int64
	// DecodeErrors are the fields the front end could not read; they are
	// reported first and refuse the change like any other problem.
	DecodeErrors failure.FieldErrors
}

// NewProductDefaults is a new product's fields that its creation leaves
// out (the README's product table lists them): a monthly loan in MDL from
// 1,000 to 50,000 over 3 to 36 months at 36 % a year, no fees, no
// penalties, booked nowhere and lent by the operator itself, scheduled as
// a declining-balance annuity with an installment every month (the
// engine's defaults, spelled out).
func NewProductDefaults() models.Product {
	return models.Product{
		Currency: "MDL", CurrencyDecimals: 2,
		MinAmount: decimal.NewFromInt(1000), MaxAmount: decimal.NewFromInt(50000),
		MinTermMonths: 3, MaxTermMonths: 36,
		AnnualInterestRate: decimal.NewFromInt(36), DisbursementFeePercent: decimal.Zero, MonthlyFeePercent: decimal.Zero,
		MinAge: 18, MaxAgeAtMaturity: 70, MaxOpenLoans: 2, CashReleaseWindowDays: 30,
		FourEyesThreshold: decimal.Zero, Ledger: lending.LedgerNone, Lender: lending.LenderSelf, Active: true,
		PrepaymentStrategy: servicing.StrategyNextInstallments, AllocationOrder: servicing.OrderPenaltiesFeesInterestPrincipal,
		EarlyRepaymentFeePercent: decimal.Zero, LateFee: decimal.Zero, PenaltyRate: decimal.Zero, PenaltyCapPercent: decimal.Zero,
		DelinquencyBuckets: "30,60,90", HolidayInterest: servicing.HolidayFirstInstallment,
		Schedule: lending.Schedule{}.Normalized(),
	}
}

// apply writes the given fields over p.
func (c *ProductChange) apply(p *models.Product) {
	set(&p.Code, c.Code)
	set(&p.Name, c.Name)
	set(&p.Currency, c.Currency)
	if c.CurrencyDecimals != nil {
		p.CurrencyDecimals = int32(*c.CurrencyDecimals)
	}
	set(&p.MinAmount, c.MinAmount)
	set(&p.MaxAmount, c.MaxAmount)
	set(&p.MinTermMonths, c.MinTermMonths)
	set(&p.MaxTermMonths, c.MaxTermMonths)
	set(&p.AnnualInterestRate, c.AnnualInterestRate)
	set(&p.DisbursementFeePercent, c.DisbursementFeePercent)
	set(&p.MonthlyFeePercent, c.MonthlyFeePercent)
	set(&p.MinAge, c.MinAge)
	set(&p.MaxAgeAtMaturity, c.MaxAgeAtMaturity)
	set(&p.MaxOpenLoans, c.MaxOpenLoans)
	set(&p.CashReleaseWindowDays, c.CashReleaseWindowDays)
	set(&p.ApprovalSLAHours, c.ApprovalSLAHours)
	set(&p.FourEyesThreshold, c.FourEyesThreshold)
	set(&p.Ledger, c.Ledger)
	set(&p.Lender, c.Lender)
	set(&p.LedgerProducts.FineractProductID, c.FineractProductID)
	if c.MambuProductKey != nil {
		p.LedgerProducts.MambuProductKey = strings.TrimSpace(*c.MambuProductKey)
	}
	set(&p.Active, c.Active)
	set(&p.AllocationOrder, c.AllocationOrder)
	set(&p.PrepaymentStrategy, c.PrepaymentStrategy)
	set(&p.EarlyRepaymentFeePercent, c.EarlyRepaymentFeePercent)
	set(&p.PenaltyGraceDays, c.PenaltyGraceDays)
	set(&p.LateFee, c.LateFee)
	set(&p.PenaltyRate, c.PenaltyRate)
	set(&p.PenaltyCapPercent, c.PenaltyCapPercent)
	if c.Buckets != nil {
		p.DelinquencyBuckets = models.FormatBuckets(*c.Buckets)
	}
	set(&p.HolidayInterest, c.HolidayInterest)
	set(&p.AccrualDaysInYear, c.AccrualDaysInYear)
	set(&p.AccrualDaysInMonth, c.AccrualDaysInMonth)
	sc := &p.Schedule
	set(&sc.InterestMethod, c.InterestMethod)
	set(&sc.Amortization, c.Amortization)
	set(&sc.InterestCalculationPeriod, c.InterestCalculationPeriod)
	set(&sc.AllowPartialPeriodInterest, c.AllowPartialPeriodInterest)
	set(&sc.DaysInYear, c.DaysInYear)
	set(&sc.DaysInMonth, c.DaysInMonth)
	set(&sc.RepaymentEvery, c.RepaymentEvery)
	set(&sc.GraceOnPrincipal, c.GraceOnPrincipal)
	set(&sc.GraceOnInterestPayment, c.GraceOnInterestPayment)
	set(&sc.GraceOnInterestCharged, c.GraceOnInterestCharged)
	set(&sc.RoundingMode, c.RoundingMode)
	set(&sc.Engine, c.Engine)
	set(&sc.InstallmentInMultiplesOf, c.InstallmentInMultiplesOf)
	set(&sc.CurrencyInMultiplesOf, c.CurrencyInMultiplesOf)
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// CreateProduct adds a product: the given fields over NewProductDefaults,
// checked as UpdateProduct checks an edit. A taken code is a conflict
// naming it, so a retried creation never makes a second product.
func (s *Service) CreateProduct(ctx context.Context, by Admin, c ProductChange) (*models.Product, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	p := NewProductDefaults()
	errs := append(failure.FieldErrors(nil), c.DecodeErrors...)
	if c.Code != nil {
		*c.Code = strings.TrimSpace(*c.Code)
	}
	c.apply(&p)
	target := "product " + p.Code
	if !errs.Has("code") && !productCodePattern.MatchString(p.Code) {
		errs.Add("code", "2 to 32 characters: lower-case letters, digits, dash, underscore")
	}
	if !errs.Has("currency") && !currencyPattern.MatchString(p.Currency) {
		errs.Add("currency", "an ISO 4217 code of three capital letters, such as MDL")
	}
	if !errs.Has("currency_decimals") && (p.CurrencyDecimals < 0 || p.CurrencyDecimals > 4) {
		errs.Add("currency_decimals", "a whole number from 0 to 4")
	}
	if !errs.Has("ledger") && !p.Ledger.Valid() {
		errs.Add("ledger", "must be one of %v", lending.Ledgers)
	}
	if !errs.Has("lender") && !p.Lender.Valid() {
		errs.Add("lender", "must be one of %v", lending.Lenders)
	}
	s.checkProduct(&p, &errs)
	if len(errs) > 0 {
		return nil, s.refusedInput(ctx, by, ActionCreateProduct, target, errs)
	}
	ev := s.adminEvent(by, ActionCreateProduct, target, models.OutcomeOK, productSummary(&p))
	if err := s.created(ctx, by, ActionCreateProduct, target, s.store.CreateProduct(ctx, &p, ev), "code", "a product with this code exists"); err != nil {
		return nil, err
	}
	return &p, nil
}

// UpdateProduct changes the given fields of the product with code. Its
// code, currency, ledger and lender stay as they are: loans already booked
// refer to them. Loans already submitted keep the terms they started with.
func (s *Service) UpdateProduct(ctx context.Context, by Admin, code string, c ProductChange) (*models.Product, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	target := "product " + code
	old, err := s.store.GetProduct(ctx, code)
	if err := s.found(ctx, by, ActionUpdateProduct, target, "product", err); err != nil {
		return nil, err
	}
	errs := append(failure.FieldErrors(nil), c.DecodeErrors...)
	fixed := func(field string, given, now any, isGiven bool) {
		if isGiven && given != now && !errs.Has(field) {
			errs.Add(field, "cannot change: loans already booked refer to it; create another product")
		}
	}
	fixed("code", deref(c.Code), old.Code, c.Code != nil)
	fixed("currency", deref(c.Currency), old.Currency, c.Currency != nil)
	fixed("currency_decimals", int32(deref(c.CurrencyDecimals)), old.CurrencyDecimals, c.CurrencyDecimals != nil)
	fixed("ledger", deref(c.Ledger), old.Ledger, c.Ledger != nil)
	fixed("lender", deref(c.Lender), old.Lender, c.Lender != nil)
	upd := *old
	c.apply(&upd)
	upd.Code, upd.Currency, upd.CurrencyDecimals, upd.Ledger, upd.Lender = old.Code, old.Currency, old.CurrencyDecimals, old.Ledger, old.Lender
	s.checkProduct(&upd, &errs)
	if len(errs) > 0 {
		return nil, s.refusedInput(ctx, by, ActionUpdateProduct, target, errs)
	}
	ev := s.adminEvent(by, ActionUpdateProduct, target, models.OutcomeOK, productChanges(old, &upd))
	if err := s.store.UpdateProductTerms(ctx, &upd, ev); err != nil {
		return nil, writeFailed(err, "product", "")
	}
	return &upd, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

var (
	productCodePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,31}$`)
	currencyPattern    = regexp.MustCompile(`^[A-Z]{3}$`)
)

// checkProduct is the one rule for a product's terms, whoever writes
// them: every field in its range, and terms that price a loan at both ends
// of the ranges and open its account under the servicing settings, so a
// typo cannot leave a product that quotes nothing or a loan that cannot be
// serviced. Fields already flagged are not checked again.
func (s *Service) checkProduct(p *models.Product, errs *failure.FieldErrors) {
	add := func(field, format string, args ...any) {
		if !errs.Has(field) {
			errs.Add(field, format, args...)
		}
	}
	checkName(p.Name, "give the product a name (up to 100 characters)", errs)
	if errs.Has("currency_decimals") {
		return // amounts cannot be checked without their scale
	}
	scale := p.CurrencyDecimals
	big := decimal.New(1, 12)
	dec := func(field string, d, lo, hi decimal.Decimal, places int32, msg string) {
		if d.LessThan(lo) || d.GreaterThan(hi) || !d.Equal(d.Truncate(places)) {
			add(field, "%s", msg)
		}
	}
	num := func(field string, n, lo, hi int) {
		if n < lo || n > hi {
			add(field, "a whole number from %d to %d", lo, hi)
		}
	}
	moneyMsg := fmt.Sprintf("a positive amount with at most %d decimals", scale)
	dec("min_amount", p.MinAmount, decimal.New(1, -scale), big, scale, moneyMsg)
	dec("max_amount", p.MaxAmount, decimal.New(1, -scale), big, scale, moneyMsg)
	if !errs.Has("min_amount") && !errs.Has("max_amount") && p.MinAmount.GreaterThan(p.MaxAmount) {
		add("max_amount", "must not be below the minimum amount")
	}
	num("min_term_months", p.MinTermMonths, 1, 600)
	num("max_term_months", p.MaxTermMonths, 1, 600)
	if !errs.Has("min_term_months") && !errs.Has("max_term_months") && p.MinTermMonths > p.MaxTermMonths {
		add("max_term_months", "must not be below the minimum term")
	}
	pct := func(hi int64) string { return fmt.Sprintf("a percentage from 0 to %d, at most 4 decimals", hi) }
	dec("annual_interest_rate", p.AnnualInterestRate, decimal.Zero, decimal.NewFromInt(1000), 4, pct(1000))
	dec("disbursement_fee_percent", p.DisbursementFeePercent, decimal.Zero, decimal.NewFromInt(100), 4, pct(100))
	dec("monthly_fee_percent", p.MonthlyFeePercent, decimal.Zero, decimal.NewFromInt(100), 4, pct(100))
	num("min_age", p.MinAge, 18, 100)
	num("max_age_at_maturity", p.MaxAgeAtMaturity, 18, 120)
	if !errs.Has("min_age") && !errs.Has("max_age_at_maturity") && p.MaxAgeAtMaturity <= p.MinAge {
		add("max_age_at_maturity", "must be above the minimum age")
	}
	num("max_open_loans", p.MaxOpenLoans, 1, 100)
	num("cash_release_window_days", p.CashReleaseWindowDays, 1, 365)
	num("approval_sla_hours", p.ApprovalSLAHours, 0, 24*365)
	s.checkLedgerProduct(p, add)
	dec("four_eyes_threshold", p.FourEyesThreshold, decimal.Zero, big, scale,
		fmt.Sprintf("an amount with at most %d decimals; 0 means one approval is always enough", scale))
	for _, pr := range p.Policy().Validate() {
		add(accrualField(pr.Field), "%s", pr.Message)
	}
	today := lending.Day(s.now())
	checkSchedule(p, today, errs)
	if len(*errs) > 0 {
		return
	}
	for _, probe := range []termsProbe{{p.MinAmount, p.MinTermMonths, "min"}, {p.MaxAmount, p.MaxTermMonths, "max"}} {
		sched, err := p.Snapshot().Quote(probe.amount, probe.months, today)
		if ve := (*schedule.ValidationError)(nil); errors.As(err, &ve) {
			for _, pr := range ve.Problems {
				field, msg := probe.name(pr, p.Snapshot().Terms(probe.amount, probe.months, today))
				add(field, "%s", msg)
			}
			return
		}
		if err != nil {
			add("annual_interest_rate", "these terms cannot price a loan of %s over %d months: %s",
				probe.amount.String(), probe.months, err.Error())
			return
		}
		// The workflow opens a paid-out loan's account so; settings it
		// refuses (a late fee finer than the currency) are refused here.
		_, err = servicing.Open(p.Snapshot().Terms(probe.amount, probe.months, today), sched, p.Policy())
		if ve := (*servicing.ValidationError)(nil); errors.As(err, &ve) {
			for _, pr := range ve.Problems {
				// Open resolves an empty accrual day count to the
				// schedule's; a problem with it is the schedule's.
				field := accrualField(pr.Field)
				if field == "accrual_days_in_year" && p.AccrualDaysInYear == "" {
					field = "days_in_year"
				}
				add(field, "%s", pr.Message)
			}
			return
		}
	}
}

// checkLedgerProduct is the rule for a product's ledger product: one
// named for its own ledger only, well formed, and, for a product booked in
// a ledger, one it or the deployment names. A product that names none
// would have every loan refused by the ledger at booking, after the
// customer was approved; it is refused here instead.
func (s *Service) checkLedgerProduct(p *models.Product, add func(field, format string, args ...any)) {
	lp := p.LedgerProducts
	if lp.FineractProductID < 0 {
		add("fineract_product_id", "the id of a Fineract loan product, a positive whole number; 0 for the deployment's LOANFLOW_FINERACT_PRODUCT_ID")
	}
	if lp.MambuProductKey != "" && !lending.ValidMambuProductKey(lp.MambuProductKey) {
		add("mambu_product_key", "the encodedKey of a Mambu loan product: letters and digits, up to 64; empty for the deployment's LOANFLOW_MAMBU_PRODUCT_KEY")
	}
	if p.Ledger != lending.LedgerFineract && lp.FineractProductID != 0 {
		add("fineract_product_id", "the product is booked in %q, not in Fineract: leave it at 0", p.Ledger)
	}
	if p.Ledger != lending.LedgerMambu && lp.MambuProductKey != "" {
		add("mambu_product_key", "the product is booked in %q, not in Mambu: leave it empty", p.Ledger)
	}
	if p.Ledger.Valid() && !lp.Or(s.ledgerProducts).Names(p.Ledger) {
		add(lending.LedgerProductField(p.Ledger), "name the %s product its loans are booked under (%s is not set)",
			p.Ledger, lending.LedgerProductVariable(p.Ledger))
	}
}

// CheckLedgerProducts tells whether every product booked in a ledger names
// its ledger product, itself or through defaults: a process that would
// book loans, or let admins edit products, refuses to start without them,
// naming the products and the setting that fixes them.
func CheckLedgerProducts(ctx context.Context, store *models.Store, defaults lending.LedgerProducts) error {
	products, err := store.ListProducts(ctx)
	if err != nil {
		return err
	}
	var missing []string
	for _, p := range products {
		if !p.LedgerProducts.Or(defaults).Names(p.Ledger) {
			missing = append(missing, fmt.Sprintf("product %s is booked in %s but names no %s product: set its %s, or %s",
				p.Code, p.Ledger, p.Ledger, lending.LedgerProductField(p.Ledger), lending.LedgerProductVariable(p.Ledger)))
		}
	}
	if len(missing) > 0 {
		return errors.New(strings.Join(missing, "; "))
	}
	return nil
}

// accrualField is the product's name for a servicing.Policy field: the
// policy's day count is the product's accrual day count, days_in_year and
// days_in_month being the schedule's.
func accrualField(field string) string {
	if field == "days_in_year" || field == "days_in_month" {
		return "accrual_" + field
	}
	return field
}

// productFields are a product's fields as the audit log names them, for
// the changes an edit makes.
func productFields(p *models.Product) [][2]string {
	d := func(v decimal.Decimal) string { return v.String() }
	i := strconv.Itoa
	return append([][2]string{
		{"name", p.Name}, {"min_amount", d(p.MinAmount)}, {"max_amount", d(p.MaxAmount)},
		{"min_term_months", i(p.MinTermMonths)}, {"max_term_months", i(p.MaxTermMonths)},
		{"annual_interest_rate", d(p.AnnualInterestRate)}, {"disbursement_fee_percent", d(p.DisbursementFeePercent)},
		{"monthly_fee_percent", d(p.MonthlyFeePercent)}, {"min_age", i(p.MinAge)}, {"max_age_at_maturity", i(p.MaxAgeAtMaturity)},
		{"max_open_loans", i(p.MaxOpenLoans)}, {"cash_release_window_days", i(p.CashReleaseWindowDays)},
		{"approval_sla_hours", i(p.ApprovalSLAHours)},
		{"fineract_product_id", strconv.FormatInt(p.LedgerProducts.FineractProductID, 10)},
		{"mambu_product_key", p.LedgerProducts.MambuProductKey},
		{"four_eyes_threshold", d(p.FourEyesThreshold)}, {"active", strconv.FormatBool(p.Active)},
		{"allocation_order", p.AllocationOrder}, {"prepayment_strategy", p.PrepaymentStrategy},
		{"early_repayment_fee_percent", d(p.EarlyRepaymentFeePercent)}, {"penalty_grace_days", i(p.PenaltyGraceDays)},
		{"late_fee", d(p.LateFee)}, {"penalty_rate", d(p.PenaltyRate)}, {"penalty_cap_percent", d(p.PenaltyCapPercent)},
		{"delinquency_buckets", p.DelinquencyBuckets}, {"holiday_interest", p.HolidayInterest},
		{"accrual_days_in_year", p.AccrualDaysInYear}, {"accrual_days_in_month", p.AccrualDaysInMonth},
	}, scheduleFields(p.Schedule)...)
}

// productChanges lists what an edit changes, for the audit log.
func productChanges(old, upd *models.Product) string {
	var parts []string
	a, b := productFields(old), productFields(upd)
	for i := range a {
		if a[i][1] != b[i][1] {
			parts = append(parts, a[i][0]+": "+a[i][1]+" → "+b[i][1])
		}
	}
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, "; ")
}

// productSummary is a new product's terms, for the audit log.
func productSummary(p *models.Product) string {
	parts := []string{"currency: " + p.Currency, "ledger: " + string(p.Ledger), "lender: " + string(p.Lender)}
	for _, f := range productFields(p) {
		parts = append(parts, f[0]+": "+f[1])
	}
	return strings.Join(parts, "; ")
}

// ListProducts lists every product, active or not, by code.
func (s *Service) ListProducts(ctx context.Context, by Admin) ([]models.Product, error) {
	return adminList(ctx, by, s.store.ListProducts)
}

// Product reads one product for an admin.
func (s *Service) Product(ctx context.Context, by Admin, code string) (*models.Product, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	p, err := s.store.GetProduct(ctx, code)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return nil, failure.NotFound("no such product")
	case err != nil:
		return nil, failure.Unavailable(err)
	}
	return p, nil
}
