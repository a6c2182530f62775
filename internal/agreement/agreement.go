package agreement

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/servicing"
)

// Installment is one row of the repayment schedule: what falls due on DueDate.
// Total must equal Principal + Interest + Fees.
type Installment struct {
	Number    int
	DueDate   time.Time
	Principal decimal.Decimal
	Interest  decimal.Decimal
	Fees      decimal.Decimal
	Total     decimal.Decimal
}

// Agreement is everything printed on a loan agreement. Rates (AnnualInterestRate,
// APR) are percentages: 24.5 means 24.5 %. Money is in Currency.
type Agreement struct {
	Ref            int64
	Date           time.Time // date of conclusion; also the PDF's creation date
	Lender         string
	Partner        string
	Office         string
	BorrowerName   string
	IdentityNumber string
	BirthDate      time.Time
	Address        string
	Phone          string // optional: the row is left out when empty

	Currency           string // ISO 4217 code, e.g. MDL
	Amount             decimal.Decimal
	TermMonths         int
	AnnualInterestRate decimal.Decimal
	DisbursementFee    decimal.Decimal
	MonthlyFee         decimal.Decimal
	APR                decimal.Decimal
	TotalInterest      decimal.Decimal
	TotalFees          decimal.Decimal
	TotalRepayable     decimal.Decimal
	FirstRepaymentDate time.Time

	Installments []Installment

	// Servicing is the loan's product's servicing policy (the snapshot the
	// loan runs under): clauses 3.6–3.8 state its allocation order, default
	// prepayment strategy, early-repayment fee and late-payment penalties.
	// Its zero value is the defaults: no fee and no penalties. The late fee
	// is in Currency.
	Servicing servicing.Policy

	// Schedule is how the loan's product computes its installments (the
	// snapshot the loan runs under): clauses 3.3, 3.4 and 3.6 state it. Its
	// zero value is a monthly declining-balance annuity without grace.
	Schedule Schedule
}

// Schedule is what the clauses say about how the installments are computed,
// under schedule.Terms' names and values; an empty value is the engine's
// default.
type Schedule struct {
	RepaymentEvery      int    // months between installments; 0 means 1
	InterestMethod      string // declining_balance | flat
	Amortization        string // equal_installments | equal_principal
	InterestCalculation string // same_as_repayment | daily
	// The first installments that repay no principal, pay no interest (it
	// is paid later), and are charged no interest.
	GraceOnPrincipal, GraceOnInterestPayment, GraceOnInterestCharged int
}

// ErrUnknownLanguage is returned by Render for a language code it has no text
// for. There is deliberately no fallback: a borrower must never be handed an
// agreement in a language other than the one asked for.
var ErrUnknownLanguage = errors.New("agreement: unknown language")

// ErrInvalidAgreement is returned by Render when the agreement is incomplete
// or its figures do not add up; the wrapped message names the problem.
var ErrInvalidAgreement = errors.New("agreement: invalid agreement")

// Languages returns the supported ISO 639-2 language codes, sorted.
func Languages() []string {
	codes := make([]string, 0, len(languages))
	for code := range languages {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return codes
}

// Render returns the agreement as a PDF in the language with the given
// three-letter code (case-insensitive). It fails with ErrUnknownLanguage for
// an unsupported code and with ErrInvalidAgreement for inconsistent input.
func Render(lang string, a Agreement) ([]byte, error) {
	l, ok := languages[strings.ToLower(strings.TrimSpace(lang))]
	if !ok {
		return nil, fmt.Errorf("%w: %q (supported: %s)", ErrUnknownLanguage, lang, strings.Join(Languages(), ", "))
	}
	if err := a.validate(); err != nil {
		return nil, err
	}
	raw, err := newRenderer(l, a).render()
	if err != nil {
		return nil, fmt.Errorf("agreement: render %s: %w", l.code, err)
	}
	return conformToUnicodeMaps(raw)
}
