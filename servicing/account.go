package servicing

import (
	"errors"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
)

// Component names one kind of money an installment charges.
type Component string

// Components.
const (
	Principal Component = "principal"
	Interest  Component = "interest"
	Fees      Component = "fees"
	Penalties Component = "penalties"
)

// Amounts is one component of one installment: what it charges and how the charge was cleared.
type Amounts struct {
	Charged    decimal.Decimal `json:"charged"`
	Paid       decimal.Decimal `json:"paid"`
	Waived     decimal.Decimal `json:"waived"`
	WrittenOff decimal.Decimal `json:"written_off"`
	// Unearned is interest or fees charged for time the credit did not run, released because the
	// loan was settled or written off before it.
	Unearned decimal.Decimal `json:"unearned"`
}

// Outstanding is what the component still claims.
func (am Amounts) Outstanding() decimal.Decimal {
	out := am.Charged
	// Most amounts of most installments are zero; skipping them saves an allocation each.
	for _, cleared := range [...]decimal.Decimal{am.Paid, am.Waived, am.WrittenOff, am.Unearned} {
		if !cleared.IsZero() {
			out = out.Sub(cleared)
		}
	}
	return out
}

// reduceTo lowers what the component claims to target (at most Charged): a waiver and payments beyond
// it are taken back, the payments returned as freed, and the rest of the charge becomes unearned.
func (am *Amounts) reduceTo(target decimal.Decimal) (freed decimal.Decimal) {
	if target.IsZero() {
		freed = am.Paid
		am.Paid, am.Waived, am.Unearned = target, target, am.Charged
		return freed
	}
	keepWaived := decimal.Min(am.Waived, target)
	keepPaid := decimal.Min(am.Paid, target.Sub(keepWaived))
	freed = am.Paid.Sub(keepPaid)
	am.Paid, am.Waived = keepPaid, keepWaived
	am.Unearned = am.Charged.Sub(target)
	return freed
}

// Installment is one installment of the loan as it stands.
type Installment struct {
	Number    int       `json:"number"`
	FromDate  time.Time `json:"from_date"`
	DueDate   time.Time `json:"due_date"`
	Principal Amounts   `json:"principal"`
	Interest  Amounts   `json:"interest"`
	Fees      Amounts   `json:"fees"`
	Penalties Amounts   `json:"penalties"`
	// LateFeeCharged records that the installment drew its one late fee.
	LateFeeCharged bool `json:"late_fee_charged"`
	// PenaltyInterest is the part of Penalties.Charged that is penalty interest, the rest late fee.
	PenaltyInterest decimal.Decimal `json:"penalty_interest"`
	// InterestAccrual counts the regular interest of the installment's period while it runs.
	InterestAccrual Accrual `json:"interest_accrual"`
	// PenaltyAccrual counts the installment's principal overdue beyond the grace days.
	PenaltyAccrual Accrual `json:"penalty_accrual"`
}

func (in *Installment) amounts(c Component) *Amounts {
	switch c {
	case Principal:
		return &in.Principal
	case Interest:
		return &in.Interest
	case Fees:
		return &in.Fees
	default:
		return &in.Penalties
	}
}

// Outstanding is what the installment still claims, all components.
func (in *Installment) Outstanding() decimal.Decimal {
	return in.Principal.Outstanding().Add(in.Interest.Outstanding()).Add(in.Fees.Outstanding()).Add(in.Penalties.Outstanding())
}

// scheduledOutstanding is what is left of the installment's own amounts, penalties aside.
func (in *Installment) scheduledOutstanding() decimal.Decimal {
	return in.Principal.Outstanding().Add(in.Interest.Outstanding()).Add(in.Fees.Outstanding())
}

// Holiday is a payment holiday granted on the loan.
type Holiday struct {
	On      time.Time `json:"on"`
	Periods int       `json:"periods"`
	Rule    string    `json:"rule"`
	// The deferred interest is Balance's interest from From (the first moved installment's old due
	// date) to To (its new one).
	From     time.Time       `json:"from"`
	To       time.Time       `json:"to"`
	Balance  decimal.Decimal `json:"balance"`
	Interest decimal.Decimal `json:"interest"`
}

// Account is a paid-out loan's money. Its fields are exported and JSON-friendly so the workflow can
// keep it in its state and carry it across continue-as-new; change it only through its methods.
type Account struct {
	// Terms are the agreed terms, normalized.
	Terms  schedule.Terms `json:"terms"`
	Policy Policy         `json:"policy"`
	// DisbursedOn is the pay-out date; Principal what was paid out.
	DisbursedOn  time.Time       `json:"disbursed_on"`
	Principal    decimal.Decimal `json:"principal"`
	Installments []Installment   `json:"installments"`
	// Received is every amount paid in: repayments, settlements and recoveries.
	Received decimal.Decimal `json:"received"`
	// Overpaid is money held for the borrower until it is refunded.
	Overpaid decimal.Decimal `json:"overpaid"`
	Refunded decimal.Decimal `json:"refunded"`
	// Capitalized is deferred interest added to the principal by payment holidays.
	Capitalized decimal.Decimal `json:"capitalized"`
	// EarlyRepaymentFees were charged and paid at settlement.
	EarlyRepaymentFees decimal.Decimal `json:"early_repayment_fees"`
	// Recovered is money paid after the write-off, towards what was written off.
	Recovered decimal.Decimal `json:"recovered"`
	// PenaltiesAccruedTo is the date penalties are charged through.
	PenaltiesAccruedTo time.Time  `json:"penalties_accrued_to"`
	SettledOn          *time.Time `json:"settled_on,omitempty"`
	WrittenOffOn       *time.Time `json:"written_off_on,omitempty"`
	Holidays           []Holiday  `json:"holidays,omitempty"`
}

// State is where the loan's money stands.
type State string

// States.
const (
	StateOpen       State = "open"
	StatePaid       State = "paid"
	StateOverpaid   State = "overpaid"
	StateWrittenOff State = "written_off"
)

// Open starts servicing a loan paid out under terms with the schedule generated from them. Only a
// single pay-out is serviced.
func Open(terms schedule.Terms, s *schedule.Schedule, p Policy) (*Account, error) {
	if err := terms.Validate(); err != nil {
		return nil, err
	}
	t := terms.Normalize()
	policy, problems := p.effective(t)
	if len(t.Disbursements) > 1 {
		problems = append(problems, FieldProblem{Field: "disbursements", Message: "servicing supports a single pay-out"})
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	if s == nil || len(s.Periods) == 0 {
		return nil, errors.New("servicing: the schedule has no installments")
	}
	m := schedule.MoneyOf(t)
	zero := m.Round(decimal.Zero)
	fresh := func(charged decimal.Decimal) Amounts {
		return Amounts{Charged: m.Round(charged), Paid: zero, Waived: zero, WrittenOff: zero, Unearned: zero}
	}
	a := &Account{
		Terms:              t,
		Policy:             policy,
		DisbursedOn:        day(t.DisbursementDate),
		Principal:          m.Round(s.TotalPrincipal),
		Installments:       make([]Installment, len(s.Periods)),
		Received:           zero,
		Overpaid:           zero,
		Refunded:           zero,
		Capitalized:        zero,
		EarlyRepaymentFees: zero,
		Recovered:          zero,
		PenaltiesAccruedTo: day(t.DisbursementDate),
	}
	for i, p := range s.Periods {
		from := day(p.FromDate)
		a.Installments[i] = Installment{
			Number: p.Number, FromDate: from, DueDate: day(p.DueDate),
			Principal: fresh(p.Principal), Interest: fresh(p.Interest), Fees: fresh(p.Fees), Penalties: fresh(decimal.Zero),
			PenaltyInterest: zero,
			InterestAccrual: Accrual{Through: from, PrincipalDays: decimal.Zero, LeapPrincipalDays: decimal.Zero},
			PenaltyAccrual:  Accrual{PrincipalDays: decimal.Zero, LeapPrincipalDays: decimal.Zero},
		}
	}
	return a, nil
}

// State says whether the loan is open, paid (nothing owed, nothing held), overpaid (nothing owed,
// money held for a refund) or written off.
func (a *Account) State() State {
	switch {
	case a.WrittenOffOn != nil:
		return StateWrittenOff
	case !a.fullyPaid():
		return StateOpen
	case a.Overpaid.IsPositive():
		return StateOverpaid
	}
	return StatePaid
}

func (a *Account) fullyPaid() bool {
	for i := range a.Installments {
		if a.Installments[i].Outstanding().IsPositive() {
			return false
		}
	}
	return true
}

// clone is a deep copy: operations work on one and keep it only when they succeed.
func (a *Account) clone() *Account {
	c := *a
	c.Installments = slices.Clone(a.Installments)
	c.Holidays = slices.Clone(a.Holidays)
	return &c
}

func (a *Account) money() schedule.Money {
	return schedule.MoneyOf(a.Terms)
}

func (a *Account) zero() decimal.Decimal {
	return a.money().Round(decimal.Zero)
}

func (a *Account) dayCount() dayCount {
	return dayCount{year: a.Policy.DaysInYear, month: a.Policy.DaysInMonth}
}

// annualRate is the terms' nominal rate per year, in percent.
func (a *Account) annualRate() decimal.Decimal {
	if a.Terms.InterestRateFrequency == schedule.Months {
		return a.Terms.InterestRate.Mul(decimal.NewFromInt(12))
	}
	return a.Terms.InterestRate
}

// firstNotDue is the index of the first installment due after d (len when all are due).
func (a *Account) firstNotDue(d time.Time) int {
	for i := range a.Installments {
		if a.Installments[i].DueDate.After(d) {
			return i
		}
	}
	return len(a.Installments)
}

// running is the index of the installment whose period runs on d, or -1 after the last due date.
func (a *Account) running(d time.Time) int {
	i := a.firstNotDue(d)
	if i < len(a.Installments) && !a.Installments[i].FromDate.After(d) {
		return i
	}
	return -1
}

// notDuePrincipal is the principal outstanding on installments due after d: the balance regular
// interest accrues on (overdue principal draws penalty interest instead).
func (a *Account) notDuePrincipal(d time.Time) decimal.Decimal {
	sum := a.zero()
	for i := a.firstNotDue(d); i < len(a.Installments); i++ {
		sum = sum.Add(a.Installments[i].Principal.Outstanding())
	}
	return sum
}

// foldInterest counts the running installment's accrual up to d, before an operation changes the
// principal it accrues on.
func (a *Account) foldInterest(d time.Time) {
	if k := a.running(d); k >= 0 {
		in := &a.Installments[k]
		in.InterestAccrual.count(a.dayCount(), a.notDuePrincipal(d), in.FromDate, d)
	}
}

// accruedInterest is the interest installment k has earned by asOf: what its accrual counts up to
// asOf, never more than the installment's own interest, so settling early never costs more than
// keeping to the schedule.
func (a *Account) accruedInterest(k int, asOf time.Time) decimal.Decimal {
	return a.accruedOn(k, a.notDuePrincipal(asOf), asOf)
}

// accruedOn is accruedInterest given the principal not yet due on asOf.
func (a *Account) accruedOn(k int, notDue decimal.Decimal, asOf time.Time) decimal.Decimal {
	in := a.Installments[k]
	ac := in.InterestAccrual
	ac.count(a.dayCount(), notDue, in.FromDate, asOf)
	return decimal.Min(ac.interest(a.dayCount(), a.money(), a.annualRate()), in.Interest.Charged)
}

// checkAmount refuses an amount that is not positive or is finer than the currency.
func (a *Account) checkAmount(amount decimal.Decimal) error {
	if !amount.IsPositive() {
		return refuse("amount", ErrInvalidAmount, amount.String())
	}
	return a.checkScale(amount)
}

func (a *Account) checkScale(amount decimal.Decimal) error {
	if places := a.Terms.Currency.DecimalPlaces; !amount.Equal(amount.Truncate(places)) {
		return refuse("amount", ErrAmountScale, amount.String())
	}
	return nil
}

func (a *Account) checkDate(field string, d time.Time) error {
	if d.Before(a.DisbursedOn) {
		return refuse(field, ErrBeforePayout, d.Format(time.DateOnly))
	}
	return nil
}

// openCopy checks an operation dated d (its field named field) may run: not before the pay-out, on an
// open loan. It answers the copy the operation works on, so one that fails later changes nothing.
func (a *Account) openCopy(field string, d time.Time) (*Account, error) {
	if err := a.checkDate(field, d); err != nil {
		return nil, err
	}
	if err := a.checkOpen(); err != nil {
		return nil, err
	}
	return a.clone(), nil
}

// checkOpen refuses an operation only an open loan allows.
func (a *Account) checkOpen() error {
	switch a.State() {
	case StateWrittenOff:
		return refuse("", ErrWrittenOff, "")
	case StatePaid, StateOverpaid:
		return refuse("", ErrClosed, "")
	}
	return nil
}

// day is t's calendar date in UTC: servicing dates carry no time.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
