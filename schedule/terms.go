package schedule

import (
	"cmp"
	"time"

	"github.com/shopspring/decimal"
)

// Frequency is the unit of a repayment period or of an interest rate.
type Frequency string

// Frequencies.
const (
	Days   Frequency = "days"
	Weeks  Frequency = "weeks"
	Months Frequency = "months"
	Years  Frequency = "years"
)

// Engines: Fineract's two schedule generators, which give different numbers for the same terms.
const (
	EngineCumulative  = "cumulative"
	EngineProgressive = "progressive"
)

// Interest methods.
const (
	InterestDecliningBalance = "declining_balance"
	InterestFlat             = "flat"
)

// Amortization types.
const (
	AmortizationEqualInstallments = "equal_installments"
	AmortizationEqualPrincipal    = "equal_principal"
)

// Interest calculation periods (cumulative engine only; the progressive engine always uses day factors).
const (
	InterestPeriodSameAsRepayment = "same_as_repayment"
	InterestPeriodDaily           = "daily"
)

// Day-count settings. DaysActual is valid for both days in year and days in month.
const (
	DaysActual = "actual"
	Days360    = "360"
	Days364    = "364"
	Days365    = "365"
	Days30     = "30"
)

// Rounding modes, with Java's RoundingMode meaning (up and down are away from and towards zero).
const (
	RoundHalfEven = "half_even"
	RoundHalfUp   = "half_up"
	RoundDown     = "down"
	RoundUp       = "up"
)

// Fee types and calculations.
const (
	FeeDisbursement = "disbursement"
	FeeMonthly      = "monthly"

	FeeFlat               = "flat"
	FeePercentOfPrincipal = "percent_of_principal"
)

// Currency is the money the loan is in. A zero Currency (no code, no places) means two decimal places.
type Currency struct {
	Code          string
	DecimalPlaces int32
	// InMultiplesOf rounds every amount to the nearest multiple (ties up), and only when DecimalPlaces
	// is 0, exactly as Fineract's Money does.
	InMultiplesOf int64
}

// Fee is a charge the lender adds to the loan.
//
// A monthly fee is added to the fees of every installment (it is "monthly" in the Iute markets' sense of
// per installment, whatever the repayment frequency). A disbursement fee is either Deducted from the
// pay-out (the borrower receives principal minus fee, the schedule is unchanged) or financed, in which
// case it is due with the first installment and appears in that installment's fees.
type Fee struct {
	Type        string          // FeeDisbursement | FeeMonthly
	Calculation string          // FeeFlat | FeePercentOfPrincipal
	Amount      decimal.Decimal // flat amount, or the percentage ("1.5" = 1.5 %)
	Deducted    bool            // disbursement fee only: taken from the pay-out instead of financed
}

// Disbursement is one tranche paid out to the borrower.
type Disbursement struct {
	Date   time.Time
	Amount decimal.Decimal
}

// Terms are the inputs of a schedule. Their Go names are the CamelCase of the `loanflow schedule` JSON
// fields. Zero values of the optional fields mean Fineract's defaults (see Normalize), so a caller may
// fill only what it cares about.
type Terms struct {
	Principal                  decimal.Decimal
	DisbursementDate           time.Time
	FirstRepaymentDate         *time.Time
	NumberOfRepayments         int
	RepaymentEvery             int
	RepaymentFrequency         Frequency
	InterestRate               decimal.Decimal // per InterestRateFrequency, in percent
	InterestRateFrequency      Frequency       // Months | Years
	InterestMethod             string
	Amortization               string
	InterestCalculationPeriod  string
	AllowPartialPeriodInterest bool
	DaysInYear                 string
	DaysInMonth                string
	GraceOnPrincipal           int
	GraceOnInterestPayment     int
	GraceOnInterestCharged     int
	Currency                   Currency
	InstallmentInMultiplesOf   int64
	RoundingMode               string
	Engine                     string
	// Disbursements, when non-empty, replace Principal and DisbursementDate (Principal becomes their sum).
	Disbursements            []Disbursement
	DownPaymentPercent       *decimal.Decimal
	FixedPrincipalPercentage *decimal.Decimal
	// ScheduleStartDate, when before the disbursement, is where the periods start (Fineract's
	// submitted-on date as repayment start); interest still accrues only from the disbursement.
	ScheduleStartDate *time.Time
	Fees              []Fee
	// DueDates, when set, are the installments' due dates instead of the generated ones (a loan
	// re-amortized after pay-out keeps the dates it has); their count is the number of repayments.
	DueDates []time.Time
	// FixedEMI, when set, is the installment (principal + interest) of an equal-installments
	// declining-balance schedule instead of the annuity (Fineract's fixedEmiAmount). The schedule ends
	// as soon as the balance is repaid; the last installment takes what is left.
	FixedEMI *decimal.Decimal
}

// Normalize returns a copy of t with every zero optional field set to its Fineract default: engine
// cumulative, declining balance, equal installments, interest same as repayment period, days actual,
// half-even rounding, repayment every 1 month, rate per year, two decimal places. It also folds
// Disbursements into Principal and DisbursementDate, and counts DueDates into NumberOfRepayments.
func (t Terms) Normalize() Terms {
	t.RepaymentEvery = cmp.Or(t.RepaymentEvery, 1)
	t.RepaymentFrequency = cmp.Or(t.RepaymentFrequency, Months)
	t.InterestRateFrequency = cmp.Or(t.InterestRateFrequency, Years)
	t.InterestMethod = cmp.Or(t.InterestMethod, InterestDecliningBalance)
	t.Amortization = cmp.Or(t.Amortization, AmortizationEqualInstallments)
	t.InterestCalculationPeriod = cmp.Or(t.InterestCalculationPeriod, InterestPeriodSameAsRepayment)
	t.DaysInYear = cmp.Or(t.DaysInYear, DaysActual)
	t.DaysInMonth = cmp.Or(t.DaysInMonth, DaysActual)
	t.RoundingMode = cmp.Or(t.RoundingMode, RoundHalfEven)
	t.Engine = cmp.Or(t.Engine, EngineCumulative)
	if t.Currency.Code == "" && t.Currency.DecimalPlaces == 0 && t.Currency.InMultiplesOf == 0 {
		t.Currency.DecimalPlaces = 2
	}
	if len(t.DueDates) > 0 {
		t.NumberOfRepayments = len(t.DueDates)
	}
	if len(t.Disbursements) > 0 {
		sum := decimal.Zero
		for _, d := range t.Disbursements {
			sum = sum.Add(d.Amount)
		}
		t.Principal = sum
		t.DisbursementDate = t.Disbursements[0].Date
	}
	return t
}
