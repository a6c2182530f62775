package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// productJSON is a product as the admin API reads and writes it: money and
// percentages as decimal strings, the servicing settings under
// servicing.Policy's names (its day count as accrual_…), the schedule
// settings under the schedule request's.
type productJSON struct {
	Code                   string         `json:"code"`
	Name                   string         `json:"name"`
	Currency               string         `json:"currency"`
	CurrencyDecimals       int32          `json:"currency_decimals"`
	MinAmount              string         `json:"min_amount"`
	MaxAmount              string         `json:"max_amount"`
	MinTermMonths          int            `json:"min_term_months"`
	MaxTermMonths          int            `json:"max_term_months"`
	AnnualInterestRate     string         `json:"annual_interest_rate"`
	DisbursementFeePercent string         `json:"disbursement_fee_percent"`
	MonthlyFeePercent      string         `json:"monthly_fee_percent"`
	MinAge                 int            `json:"min_age"`
	MaxAgeAtMaturity       int            `json:"max_age_at_maturity"`
	MaxOpenLoans           int            `json:"max_open_loans"`
	CashReleaseWindowDays  int            `json:"cash_release_window_days"`
	ApprovalSLAHours       int            `json:"approval_sla_hours"`
	FourEyesThreshold      string         `json:"four_eyes_threshold"`
	Ledger                 lending.Ledger `json:"ledger"`
	Lender                 lending.Lender `json:"lender"`
	// FineractProductID and MambuProductKey are the ledger product its
	// loans are booked under; 0 and "": the deployment's default.
	FineractProductID        int64  `json:"fineract_product_id"`
	MambuProductKey          string `json:"mambu_product_key"`
	Active                   bool   `json:"active"`
	AllocationOrder          string `json:"allocation_order"`
	PrepaymentStrategy       string `json:"prepayment_strategy"`
	EarlyRepaymentFeePercent string `json:"early_repayment_fee_percent"`
	PenaltyGraceDays         int    `json:"penalty_grace_days"`
	LateFee                  string `json:"late_fee"`
	PenaltyRate              string `json:"penalty_rate"`
	PenaltyCapPercent        string `json:"penalty_cap_percent"`
	Buckets                  []int  `json:"buckets"`
	HolidayInterest          string `json:"holiday_interest"`
	AccrualDaysInYear        string `json:"accrual_days_in_year"`
	AccrualDaysInMonth       string `json:"accrual_days_in_month"`
	scheduleSettingsJSON
	CreatedAt string `json:"created_at"`
}

// scheduleSettingsJSON is a product's schedule settings under the names and values
// of the `loanflow schedule` request.
type scheduleSettingsJSON struct {
	InterestMethod             string `json:"interest_method"`
	Amortization               string `json:"amortization"`
	InterestCalculationPeriod  string `json:"interest_calculation_period"`
	AllowPartialPeriodInterest bool   `json:"allow_partial_period_interest"`
	DaysInYear                 string `json:"days_in_year"`
	DaysInMonth                string `json:"days_in_month"`
	RepaymentEvery             int    `json:"repayment_every"`
	GraceOnPrincipal           int    `json:"grace_on_principal"`
	GraceOnInterestPayment     int    `json:"grace_on_interest_payment"`
	GraceOnInterestCharged     int    `json:"grace_on_interest_charged"`
	RoundingMode               string `json:"rounding_mode"`
	InstallmentInMultiplesOf   int64  `json:"installment_in_multiples_of"`
	CurrencyInMultiplesOf      int64  `json:"currency_in_multiples_of"`
	Engine                     string `json:"engine"`
}

func newProductJSON(p *models.Product) productJSON {
	scale := p.CurrencyDecimals
	buckets := p.Policy().Buckets
	if buckets == nil {
		buckets = []int{}
	}
	return productJSON{
		Code: p.Code, Name: p.Name, Currency: p.Currency, CurrencyDecimals: scale,
		MinAmount: money(p.MinAmount, scale), MaxAmount: money(p.MaxAmount, scale),
		MinTermMonths: p.MinTermMonths, MaxTermMonths: p.MaxTermMonths,
		AnnualInterestRate: p.AnnualInterestRate.String(), DisbursementFeePercent: p.DisbursementFeePercent.String(),
		MonthlyFeePercent: p.MonthlyFeePercent.String(), MinAge: p.MinAge, MaxAgeAtMaturity: p.MaxAgeAtMaturity,
		MaxOpenLoans: p.MaxOpenLoans, CashReleaseWindowDays: p.CashReleaseWindowDays, ApprovalSLAHours: p.ApprovalSLAHours,
		FourEyesThreshold: money(p.FourEyesThreshold, scale), Ledger: p.Ledger, Lender: p.Lender, Active: p.Active,
		FineractProductID: p.LedgerProducts.FineractProductID, MambuProductKey: p.LedgerProducts.MambuProductKey,
		AllocationOrder: p.AllocationOrder, PrepaymentStrategy: p.PrepaymentStrategy,
		EarlyRepaymentFeePercent: p.EarlyRepaymentFeePercent.String(), PenaltyGraceDays: p.PenaltyGraceDays,
		LateFee: money(p.LateFee, scale), PenaltyRate: p.PenaltyRate.String(), PenaltyCapPercent: p.PenaltyCapPercent.String(),
		Buckets: buckets, HolidayInterest: p.HolidayInterest,
		AccrualDaysInYear: p.AccrualDaysInYear, AccrualDaysInMonth: p.AccrualDaysInMonth,
		scheduleSettingsJSON: newScheduleSettingsJSON(p.Schedule.Normalized()), CreatedAt: instant(p.CreatedAt),
	}
}

func newScheduleSettingsJSON(s lending.Schedule) scheduleSettingsJSON {
	return scheduleSettingsJSON{
		InterestMethod: s.InterestMethod, Amortization: s.Amortization, InterestCalculationPeriod: s.InterestCalculationPeriod,
		AllowPartialPeriodInterest: s.AllowPartialPeriodInterest, DaysInYear: s.DaysInYear, DaysInMonth: s.DaysInMonth,
		RepaymentEvery: s.RepaymentEvery, GraceOnPrincipal: s.GraceOnPrincipal, GraceOnInterestPayment: s.GraceOnInterestPayment,
		GraceOnInterestCharged: s.GraceOnInterestCharged, RoundingMode: s.RoundingMode,
		InstallmentInMultiplesOf: s.InstallmentInMultiplesOf, CurrencyInMultiplesOf: s.CurrencyInMultiplesOf, Engine: s.Engine,
	}
}

// productChange reads a product body: every field optional, each present
// one decoded or flagged.
func productChange(b *jsonObject) service.ProductChange {
	str := func(key string) *string {
		if b.raw(key) == nil {
			return nil
		}
		s := b.String(key)
		return &s
	}
	num := func(key string) *int {
		if b.raw(key) == nil {
			return nil
		}
		n := b.Int(key)
		return &n
	}
	num64 := func(key string) *int64 {
		if n := num(key); n != nil {
			v := int64(*n)
			return &v
		}
		return nil
	}
	boolean := func(key string) *bool {
		v := b.raw(key)
		if v == nil {
			return nil
		}
		var x bool
		if err := json.Unmarshal(v, &x); err != nil {
			b.errs.Add(b.name(key), "must be true or false")
			return nil
		}
		return &x
	}
	// A day count may be written as a number (360), as the schedule
	// request allows.
	days := func(key string) *string {
		var n json.Number
		if v := b.raw(key); v != nil && json.Unmarshal(v, &n) == nil {
			s := n.String()
			return &s
		}
		return str(key)
	}
	dec := func(key string) *decimal.Decimal {
		if b.raw(key) == nil {
			return nil
		}
		d := b.Decimal(key)
		return &d
	}
	c := service.ProductChange{
		Code: str("code"), Name: str("name"), Currency: str("currency"), CurrencyDecimals: num("currency_decimals"),
		MinAmount: dec("min_amount"), MaxAmount: dec("max_amount"),
		MinTermMonths: num("min_term_months"), MaxTermMonths: num("max_term_months"),
		AnnualInterestRate: dec("annual_interest_rate"), DisbursementFeePercent: dec("disbursement_fee_percent"),
		MonthlyFeePercent: dec("monthly_fee_percent"), MinAge: num("min_age"), MaxAgeAtMaturity: num("max_age_at_maturity"),
		MaxOpenLoans: num("max_open_loans"), CashReleaseWindowDays: num("cash_release_window_days"),
		ApprovalSLAHours:  num("approval_sla_hours"),
		FourEyesThreshold: dec("four_eyes_threshold"),
		AllocationOrder:   str("allocation_order"), PrepaymentStrategy: str("prepayment_strategy"),
		EarlyRepaymentFeePercent: dec("early_repayment_fee_percent"), PenaltyGraceDays: num("penalty_grace_days"),
		LateFee: dec("late_fee"), PenaltyRate: dec("penalty_rate"), PenaltyCapPercent: dec("penalty_cap_percent"),
		HolidayInterest:   str("holiday_interest"),
		AccrualDaysInYear: days("accrual_days_in_year"), AccrualDaysInMonth: days("accrual_days_in_month"),
		InterestMethod: str("interest_method"), Amortization: str("amortization"),
		InterestCalculationPeriod: str("interest_calculation_period"), AllowPartialPeriodInterest: boolean("allow_partial_period_interest"),
		DaysInYear: days("days_in_year"), DaysInMonth: days("days_in_month"), RepaymentEvery: num("repayment_every"),
		GraceOnPrincipal: num("grace_on_principal"), GraceOnInterestPayment: num("grace_on_interest_payment"),
		GraceOnInterestCharged: num("grace_on_interest_charged"), RoundingMode: str("rounding_mode"), Engine: str("engine"),
		InstallmentInMultiplesOf: num64("installment_in_multiples_of"), CurrencyInMultiplesOf: num64("currency_in_multiples_of"),
		Active:            boolean("active"),
		FineractProductID: num64("fineract_product_id"), MambuProductKey: str("mambu_product_key"),
	}
	if s := str("ledger"); s != nil {
		l := lending.Ledger(*s)
		c.Ledger = &l
	}
	if s := str("lender"); s != nil {
		l := lending.Lender(*s)
		c.Lender = &l
	}
	if v := b.raw("buckets"); v != nil {
		var bounds []int
		if err := json.Unmarshal(v, &bounds); err != nil {
			b.errs.Add(b.name("buckets"), "must be an array of whole numbers of days, such as [30, 60, 90]")
		} else {
			c.Buckets = &bounds
		}
	}
	return c
}

// listProducts is GET /backoffice/v1/products.
func (h *handlers) listProducts(c *gin.Context) {
	answerList(h, c, "products", h.svc.ListProducts, newProductJSON)
}

// createProduct is POST /backoffice/v1/products: 201 with the product,
// its omitted fields at their defaults.
func (h *handlers) createProduct(c *gin.Context) {
	var ch service.ProductChange
	if !h.readBody(c, false, func(b *jsonObject) { ch = productChange(b) }) {
		return
	}
	var code string
	if ch.Code != nil {
		code = *ch.Code
	}
	answerOnce(h, c, service.ActionCreateProduct, code, ch, http.StatusCreated, func(ctx context.Context, a service.Admin) (*models.Product, string, error) {
		return noSecret(h.svc.CreateProduct(ctx, a, ch))
	}, h.svc.Product, func(p *models.Product, _ string) productJSON { return newProductJSON(p) })
}

// patchProduct is PATCH /backoffice/v1/products/{code}: only the fields
// sent change.
func (h *handlers) patchProduct(c *gin.Context) {
	var ch service.ProductChange
	if !h.readBody(c, false, func(b *jsonObject) { ch = productChange(b) }) {
		return
	}
	p, err := h.svc.UpdateProduct(c.Request.Context(), adminOf(c), c.Param("code"), ch)
	if err != nil {
		h.respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, newProductJSON(p))
}
