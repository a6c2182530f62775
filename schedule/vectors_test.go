package schedule

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// vector is one calibration case quoted from Fineract's own tests (testdata/fineract-*.json).
type vector struct {
	ID       string       `json:"id"`
	Inputs   vectorInputs `json:"inputs"`
	Expected struct {
		Periods        []vectorPeriod `json:"periods"`
		TotalPrincipal string         `json:"total_principal"`
		TotalInterest  string         `json:"total_interest"`
		TotalDue       string         `json:"total_due"`
	} `json:"expected"`
}

type vectorInputs struct {
	Engine                   string  `json:"schedule_engine"`
	Principal                string  `json:"principal"`
	CurrencyCode             string  `json:"currency_code"`
	DecimalPlaces            int32   `json:"currency_decimal_places"`
	CurrencyInMultiplesOf    *int64  `json:"currency_in_multiples_of"`
	InstallmentInMultiplesOf *int64  `json:"installment_amount_in_multiples_of"`
	Rate                     string  `json:"interest_rate_per_period_pct"`
	RateFrequency            string  `json:"interest_rate_frequency"`
	InterestType             string  `json:"interest_type"`
	Amortization             string  `json:"amortization_type"`
	InterestPeriod           string  `json:"interest_calculation_period"`
	AllowPartial             *bool   `json:"allow_partial_period_interest_calculation"`
	Repayments               int     `json:"number_of_repayments"`
	Every                    int     `json:"repayment_every"`
	Frequency                string  `json:"repayment_frequency"`
	DaysInYear               string  `json:"days_in_year"`
	DaysInMonth              string  `json:"days_in_month"`
	Submitted                *string `json:"submitted_on_date"`
	Disbursed                string  `json:"disbursement_date"`
	FirstRepayment           *string `json:"first_repayment_date"`
	GracePrincipal           int     `json:"grace_on_principal_periods"`
	GraceInterestPayment     int     `json:"grace_on_interest_payment_periods"`
	GraceInterestCharged     int     `json:"grace_on_interest_charged_periods"`
	DownPaymentEnabled       bool    `json:"down_payment_enabled"`
	DownPaymentPct           *string `json:"down_payment_pct"`
	RoundingMode             string  `json:"rounding_mode"`
	FixedPrincipalPct        *string `json:"fixed_principal_percentage"`
	Disbursements            []vDisb `json:"disbursements"`
}

type vDisb struct {
	Date   string `json:"date"`
	Amount string `json:"amount"`
}

type vectorPeriod struct {
	N         int     `json:"n"`
	FromDate  *string `json:"from_date"`
	DueDate   *string `json:"due_date"`
	Days      *int    `json:"days"`
	Principal *string `json:"principal"`
	Interest  *string `json:"interest"`
	Fees      *string `json:"fees"`
	Total     *string `json:"total"`
	Balance   *string `json:"balance"`
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// vectorTerms maps a vector's Fineract-named inputs onto Terms.
func vectorTerms(t *testing.T, in vectorInputs) Terms {
	t.Helper()
	enum := func(s string) string { return strings.ToLower(s) }
	terms := Terms{
		Principal:                  dec(in.Principal),
		DisbursementDate:           day(in.Disbursed),
		NumberOfRepayments:         in.Repayments,
		RepaymentEvery:             in.Every,
		RepaymentFrequency:         Frequency(enum(in.Frequency)),
		InterestRate:               dec(in.Rate),
		InterestRateFrequency:      Frequency(enum(in.RateFrequency)),
		InterestMethod:             enum(in.InterestType),
		DaysInYear:                 enum(in.DaysInYear),
		DaysInMonth:                enum(in.DaysInMonth),
		GraceOnPrincipal:           in.GracePrincipal,
		GraceOnInterestPayment:     in.GraceInterestPayment,
		GraceOnInterestCharged:     in.GraceInterestCharged,
		Currency:                   Currency{Code: in.CurrencyCode, DecimalPlaces: in.DecimalPlaces},
		RoundingMode:               enum(in.RoundingMode),
		AllowPartialPeriodInterest: in.AllowPartial != nil && *in.AllowPartial,
	}
	if in.CurrencyInMultiplesOf != nil {
		terms.Currency.InMultiplesOf = *in.CurrencyInMultiplesOf
	}
	if in.InstallmentInMultiplesOf != nil {
		terms.InstallmentInMultiplesOf = *in.InstallmentInMultiplesOf
	}
	switch in.Amortization {
	case "EQUAL_PRINCIPAL_PAYMENTS", "EQUAL_PRINCIPAL":
		terms.Amortization = AmortizationEqualPrincipal
	default:
		terms.Amortization = AmortizationEqualInstallments
	}
	switch in.InterestPeriod {
	case "DAILY":
		terms.InterestCalculationPeriod = InterestPeriodDaily
	default:
		terms.InterestCalculationPeriod = InterestPeriodSameAsRepayment
	}
	if strings.HasPrefix(in.Engine, "PROGRESSIVE") {
		terms.Engine = EngineProgressive
	} else {
		terms.Engine = EngineCumulative
	}
	if in.FirstRepayment != nil {
		d := day(*in.FirstRepayment)
		terms.FirstRepaymentDate = &d
	}
	if in.DownPaymentEnabled && in.DownPaymentPct != nil {
		p := dec(*in.DownPaymentPct)
		terms.DownPaymentPercent = &p
	}
	if in.FixedPrincipalPct != nil {
		p := dec(*in.FixedPrincipalPct)
		terms.FixedPrincipalPercentage = &p
	}
	for _, d := range in.Disbursements {
		terms.Disbursements = append(terms.Disbursements, Disbursement{Date: day(d.Date), Amount: dec(d.Amount)})
	}
	// A loan whose periods run from its submission (repayment start type SUBMITTED_ON_DATE) says so
	// with a submitted-on date before the pay-out.
	if in.Submitted != nil && *in.Submitted < in.Disbursed {
		start := day(*in.Submitted)
		terms.ScheduleStartDate = &start
	}
	return terms
}

// diffSchedule lists every stated field of every period that differs, as "period 3 interest: want
// 44.87, got 44.86", so a failing vector says exactly where it breaks.
func diffSchedule(s *Schedule, want []vectorPeriod, totals [3]string) []string {
	var diffs []string
	cmpDec := func(where, field string, want *string, got decimal.Decimal) {
		if want != nil && !dec(*want).Equal(got) {
			diffs = append(diffs, fmt.Sprintf("%s %s: want %s, got %s", where, field, *want, got))
		}
	}
	if len(s.Periods) != len(want) {
		diffs = append(diffs, fmt.Sprintf("periods: want %d, got %d", len(want), len(s.Periods)))
	}
	for i, w := range want {
		if i >= len(s.Periods) {
			break
		}
		p := s.Periods[i]
		where := fmt.Sprintf("period %d", w.N)
		if p.Number != w.N {
			diffs = append(diffs, fmt.Sprintf("%s number: got %d", where, p.Number))
		}
		if w.FromDate != nil && !day(*w.FromDate).Equal(p.FromDate) {
			diffs = append(diffs, fmt.Sprintf("%s from_date: want %s, got %s", where, *w.FromDate, p.FromDate.Format(time.DateOnly)))
		}
		if w.DueDate != nil && !day(*w.DueDate).Equal(p.DueDate) {
			diffs = append(diffs, fmt.Sprintf("%s due_date: want %s, got %s", where, *w.DueDate, p.DueDate.Format(time.DateOnly)))
		}
		if w.Days != nil && *w.Days != p.Days {
			diffs = append(diffs, fmt.Sprintf("%s days: want %d, got %d", where, *w.Days, p.Days))
		}
		cmpDec(where, "principal", w.Principal, p.Principal)
		cmpDec(where, "interest", w.Interest, p.Interest)
		cmpDec(where, "fees", w.Fees, p.Fees)
		cmpDec(where, "total", w.Total, p.Total)
		cmpDec(where, "balance", w.Balance, p.Balance)
	}
	for i, name := range []string{"total_principal", "total_interest", "total_repayment"} {
		got := []decimal.Decimal{s.TotalPrincipal, s.TotalInterest, s.TotalRepayment}[i]
		if totals[i] != "" {
			w := totals[i]
			cmpDec("schedule", name, &w, got)
		}
	}
	return diffs
}

func loadVectors(t *testing.T, file string) []vector {
	t.Helper()
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	var vs []vector
	require.NoError(t, json.Unmarshal(raw, &vs))
	require.NotEmpty(t, vs)
	return vs
}

// TestFineractVectors runs the shared calibration vectors and further cases transcribed from Fineract's
// own tests (testdata/fineract-*.json, each naming the test it comes from).
func TestFineractVectors(t *testing.T) {
	files, err := filepath.Glob("testdata/fineract-*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var vs []vector
	for _, f := range files {
		vs = append(vs, loadVectors(t, f)...)
	}
	for _, v := range vs {
		t.Run(v.ID, func(t *testing.T) {
			s, err := Generate(vectorTerms(t, v.Inputs))
			require.NoError(t, err)
			diffs := diffSchedule(s, v.Expected.Periods, [3]string{v.Expected.TotalPrincipal, v.Expected.TotalInterest, v.Expected.TotalDue})
			require.Empty(t, diffs, "schedule differs from Fineract:\n%s", strings.Join(diffs, "\n"))
		})
	}
}
