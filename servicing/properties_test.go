package servicing

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
)

// choices drives a random account and sequence of operations from any source of numbers: a seeded
// generator in the property test, fuzz bytes in the fuzz target.
type choices interface {
	IntN(n int) int
}

// randomTerms draws terms a consumer product could have, across engines, methods, frequencies,
// currencies and fees.
func randomTerms(r choices) schedule.Terms {
	pick := func(vs ...string) string { return vs[r.IntN(len(vs))] }
	places := []int32{2, 2, 2, 0, 3}[r.IntN(5)]
	t := schedule.Terms{
		Principal:                 decimal.New(int64(100+r.IntN(5_000_000)), -places).Add(decimal.NewFromInt(int64(r.IntN(3) * 1000))),
		DisbursementDate:          time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(900)),
		NumberOfRepayments:        1 + r.IntN(24),
		RepaymentEvery:            1 + r.IntN(2),
		RepaymentFrequency:        schedule.Frequency(pick("months", "months", "months", "weeks", "days")),
		InterestRate:              decimal.New(int64(r.IntN(6000)), -2),
		InterestRateFrequency:     schedule.Years,
		InterestMethod:            pick(schedule.InterestDecliningBalance, schedule.InterestDecliningBalance, schedule.InterestFlat),
		Amortization:              pick(schedule.AmortizationEqualInstallments, schedule.AmortizationEqualInstallments, schedule.AmortizationEqualPrincipal),
		InterestCalculationPeriod: pick(schedule.InterestPeriodSameAsRepayment, schedule.InterestPeriodDaily),
		DaysInYear:                pick(schedule.DaysActual, schedule.Days360, schedule.Days365),
		DaysInMonth:               pick(schedule.DaysActual, schedule.Days30),
		Currency:                  schedule.Currency{Code: "XXX", DecimalPlaces: places},
		RoundingMode:              pick(schedule.RoundHalfEven, schedule.RoundHalfUp, schedule.RoundDown, schedule.RoundUp),
		Engine:                    pick(schedule.EngineCumulative, schedule.EngineCumulative, schedule.EngineProgressive),
	}
	if t.RepaymentFrequency == schedule.Days {
		t.RepaymentEvery = 7 + r.IntN(25)
	}
	if r.IntN(3) == 0 {
		t.Fees = append(t.Fees, schedule.Fee{Type: schedule.FeeMonthly, Calculation: schedule.FeeFlat, Amount: decimal.New(int64(r.IntN(2000)), -places)})
	}
	if r.IntN(3) == 0 {
		t.Fees = append(t.Fees, schedule.Fee{Type: schedule.FeeDisbursement, Calculation: schedule.FeePercentOfPrincipal, Amount: decimal.New(int64(r.IntN(500)), -2)})
	}
	if t.Engine == schedule.EngineCumulative && t.NumberOfRepayments > 3 && r.IntN(5) == 0 {
		t.GraceOnPrincipal = r.IntN(2)
	}
	return t
}

func randomPolicy(r choices) Policy {
	pick := func(vs ...string) string { return vs[r.IntN(len(vs))] }
	p := Policy{
		DaysInYear:               pick("", DaysActual, Days360, Days365),
		DaysInMonth:              pick("", DaysActual, Days30),
		AllocationOrder:          pick("", OrderInterestPrincipalPenaltiesFees, OrderPrincipalInterestPenaltiesFees, OrderDueFirstThenAdvance),
		PrepaymentStrategy:       pick("", StrategyReduceInstallment, StrategyReduceTerm),
		HolidayInterest:          pick("", HolidayCapitalize),
		EarlyRepaymentFeePercent: decimal.New(int64(r.IntN(3)*r.IntN(150)), -2),
		PenaltyGraceDays:         r.IntN(3) * r.IntN(10),
	}
	if r.IntN(2) == 0 {
		p.LateFee = decimal.NewFromInt(int64(r.IntN(40)))
	}
	if r.IntN(2) == 0 {
		p.PenaltyRate = decimal.NewFromInt(int64(r.IntN(100)))
	}
	if r.IntN(2) == 0 {
		p.PenaltyCapPercent = decimal.NewFromInt(int64(r.IntN(20)))
	}
	return p
}

// step does one random operation on a at *on and reports what it did. Refusals the operation may
// give (amounts above what is allowed, illegal states) must be typed *Errors.
func step(r choices, a *Account, on *time.Time) (string, error) {
	*on = on.AddDate(0, 0, []int{0, 0, 1, 3, 10, 20, 31, 45}[r.IntN(8)])
	places := a.Terms.Currency.DecimalPlaces
	unit := decimal.New(1, -places)
	// amount is a share of base between 1/700 and 10/7 of it, at the currency's scale.
	amount := func(base decimal.Decimal) decimal.Decimal {
		if !base.IsPositive() {
			base = decimal.NewFromInt(100)
		}
		switch r.IntN(5) {
		case 0:
			return base.Truncate(places).Add(unit)
		case 1:
			return unit
		default:
			frac := decimal.NewFromInt(int64(1 + r.IntN(1000))).Div(decimal.NewFromInt(700))
			return decimal.Max(base.Mul(frac).Truncate(places), unit)
		}
	}
	refusal := func(op string, err error) (string, error) {
		var e *Error
		if err != nil && !errors.As(err, &e) {
			return op, fmt.Errorf("%s: untyped error %v", op, err)
		}
		return op + " refused: " + fmt.Sprint(err), nil
	}
	next := a.zero()
	for i := range a.Installments {
		if o := a.Installments[i].Outstanding(); o.IsPositive() {
			next = o
			break
		}
	}
	strategies := []string{"", StrategyNextInstallments, StrategyReduceInstallment, StrategyReduceTerm}
	switch r.IntN(20) {
	case 0, 1, 2, 3, 4, 5, 6:
		base := next
		if r.IntN(15) == 0 {
			base = a.Totals().Outstanding.Total()
		}
		amt := amount(base)
		s := strategies[r.IntN(len(strategies))]
		op := fmt.Sprintf("repay %s on %s %q", amt, on.Format(time.DateOnly), s)
		if _, err := a.Repay(amt, *on, s); err != nil {
			return refusal(op, err)
		}
		return op, nil
	case 7, 8:
		op := "accrue to " + on.Format(time.DateOnly)
		_, err := a.AccrueTo(*on)
		return op, err
	case 9:
		if r.IntN(3) != 0 {
			return "no settlement", nil
		}
		q, err := a.Quote(*on)
		if err != nil {
			return refusal("settle", err)
		}
		op := fmt.Sprintf("settle %s on %s", q.Total, on.Format(time.DateOnly))
		if r.IntN(4) == 0 {
			wrong := q.Total.Add(unit)
			if _, err := a.Settle(wrong, *on); !errors.Is(err, ErrQuoteMismatch) {
				return op, fmt.Errorf("settling %s against a quote of %s: %v", wrong, q.Total, err)
			}
		}
		if _, err := a.Settle(q.Total, *on); err != nil {
			return op, err
		}
		if a.State() == StateOpen {
			return op, errors.New("still open after settlement")
		}
		return op, nil
	case 10, 11:
		c := []Component{Penalties, Fees, Interest}[r.IntN(3)]
		due := a.zero()
		for i := range a.firstNotDue(*on) {
			due = due.Add(a.Installments[i].amounts(c).Outstanding())
		}
		amt := amount(due)
		op := fmt.Sprintf("waive %s %s on %s", amt, c, on.Format(time.DateOnly))
		if _, err := a.Waive(*on, c, amt); err != nil {
			return refusal(op, err)
		}
		return op, nil
	case 12:
		amt := amount(a.Overpaid)
		op := "refund " + amt.String()
		if _, err := a.Refund(amt); err != nil {
			return refusal(op, err)
		}
		return op, nil
	case 13:
		if r.IntN(3) != 0 {
			return "no write-off", nil
		}
		op := "write off on " + on.Format(time.DateOnly)
		if _, err := a.WriteOff(*on); err != nil {
			return refusal(op, err)
		}
		return op, nil
	case 14, 15:
		n := 1 + r.IntN(3)
		rule := []string{"", HolidayFirstInstallment, HolidayCapitalize}[r.IntN(3)]
		op := fmt.Sprintf("defer %d %q on %s", n, rule, on.Format(time.DateOnly))
		if _, err := a.Defer(*on, n, rule); err != nil {
			return refusal(op, err)
		}
		return op, nil
	default:
		op := "quote on " + on.Format(time.DateOnly)
		q, err := a.Quote(*on)
		if err != nil {
			return refusal(op, err)
		}
		sum := q.Principal.Add(q.Interest).Add(q.Fees).Add(q.Penalties).Add(q.EarlyRepaymentFee)
		if !sum.Equal(q.Total) || q.Total.IsNegative() {
			return op, fmt.Errorf("quote %+v does not add up", q)
		}
		again, _ := a.Quote(*on)
		if !sameQuote(again, q) {
			return op, fmt.Errorf("quote changed the account: %+v then %+v", q, again)
		}
		c := a.clone()
		c.accrueTo(*on)
		if claimed := c.Totals().Outstanding.Total().Add(q.EarlyRepaymentFee); q.Total.GreaterThan(claimed) {
			return op, fmt.Errorf("payoff %s is more than the %s the schedule still claims", q.Total, claimed)
		}
		return op, nil
	}
}

// runSequence opens a random account and applies steps random operations, checking conservation
// after each.
func runSequence(r choices, steps int) error {
	terms := randomTerms(r)
	s, err := schedule.Generate(terms)
	if err != nil {
		return nil // terms the engine refuses are not a servicing case
	}
	a, err := Open(terms, s, randomPolicy(r))
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return nil
		}
		return err
	}
	if err := a.Check(); err != nil {
		return fmt.Errorf("opened: %w", err)
	}
	on := a.DisbursedOn
	var log []string
	closedFor := 0
	for range steps {
		if a.State() != StateOpen {
			if closedFor++; closedFor > 4 {
				break
			}
		}
		op, err := step(r, a, &on)
		log = append(log, op)
		if err == nil {
			err = a.Check()
		}
		if err == nil && r.IntN(8) == 0 {
			err = roundTrip(a)
		}
		if err != nil {
			return fmt.Errorf("%w\nterms %+v\npolicy %+v\nsteps:\n%v", err, terms, a.Policy, log)
		}
	}
	return nil
}

func TestConservationOverRandomSequences(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 2025))
	for i := range 1000 {
		if err := runSequence(r, 40); err != nil {
			t.Fatalf("sequence %d: %v", i, err)
		}
	}
}

func sameQuote(a, b Quote) bool {
	return a.AsOf.Equal(b.AsOf) && a.Principal.Equal(b.Principal) && a.Interest.Equal(b.Interest) && a.Fees.Equal(b.Fees) &&
		a.Penalties.Equal(b.Penalties) && a.EarlyRepaymentFee.Equal(b.EarlyRepaymentFee) && a.Total.Equal(b.Total)
}

// roundTrip replaces a with its JSON copy, as continue-as-new does with workflow state, and checks
// that the copy serializes to the same bytes.
func roundTrip(a *Account) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	var back Account
	if err := json.Unmarshal(b, &back); err != nil {
		return err
	}
	again, err := json.Marshal(&back)
	if err != nil {
		return err
	}
	if string(again) != string(b) {
		return fmt.Errorf("JSON round trip changed the account:\n%s\n%s", b, again)
	}
	*a = back
	return nil
}
