package schedule

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// knobs are the raw choices a property case or a fuzz input makes; termsFrom maps them onto Terms
// without filtering, so out-of-range choices exercise validation too.
type knobs struct {
	principalCents int64
	repayments     int
	every          int
	freq, rateFreq uint8
	rateBp         int64 // rate in hundredths of a percent
	method, amort  uint8
	period, diy    uint8
	dim            uint8
	partial        bool
	gP, gIP, gIC   int
	places         int32
	multiple       int64
	installmentM   int64
	mode, engine   uint8
	startOffset    int // days after 2020-01-01
	firstOffset    int // days after the disbursement, 0 = none
	downBp         int64
	tranches       uint8
	feeBp          int64
	deducted       bool
	monthlyFeeBp   int64
}

func termsFrom(k knobs) Terms {
	pick := func(i uint8, vs ...string) string { return vs[int(i)%len(vs)] }
	disb := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, k.startOffset)
	t := Terms{
		Principal:                  decimal.New(k.principalCents, -2),
		DisbursementDate:           disb,
		NumberOfRepayments:         k.repayments,
		RepaymentEvery:             k.every,
		RepaymentFrequency:         Frequency(pick(k.freq, "months", "months", "weeks", "days", "years")),
		InterestRate:               decimal.New(k.rateBp, -2),
		InterestRateFrequency:      Frequency(pick(k.rateFreq, "years", "months")),
		InterestMethod:             pick(k.method, InterestDecliningBalance, InterestFlat),
		Amortization:               pick(k.amort, AmortizationEqualInstallments, AmortizationEqualPrincipal),
		InterestCalculationPeriod:  pick(k.period, InterestPeriodSameAsRepayment, InterestPeriodDaily),
		AllowPartialPeriodInterest: k.partial,
		DaysInYear:                 pick(k.diy, DaysActual, Days360, Days364, Days365),
		DaysInMonth:                pick(k.dim, DaysActual, Days30),
		GraceOnPrincipal:           k.gP,
		GraceOnInterestPayment:     k.gIP,
		GraceOnInterestCharged:     k.gIC,
		Currency:                   Currency{Code: "XXX", DecimalPlaces: k.places, InMultiplesOf: k.multiple},
		InstallmentInMultiplesOf:   k.installmentM,
		RoundingMode:               pick(k.mode, RoundHalfEven, RoundHalfUp, RoundDown, RoundUp),
		Engine:                     pick(k.engine, EngineCumulative, EngineProgressive),
	}
	if k.firstOffset > 0 {
		first := disb.AddDate(0, 0, k.firstOffset)
		t.FirstRepaymentDate = &first
	}
	if k.downBp > 0 {
		p := decimal.New(k.downBp, -2)
		t.DownPaymentPercent = &p
	}
	if n := int(k.tranches); n > 1 {
		share := t.Principal.Div(decimal.NewFromInt(int64(n))).Truncate(max(k.places, 0))
		for i := range n {
			amount := share
			if i == n-1 {
				amount = t.Principal.Sub(share.Mul(decimal.NewFromInt(int64(n - 1))))
			}
			t.Disbursements = append(t.Disbursements, Disbursement{Date: disb.AddDate(0, 0, 9*i), Amount: amount})
		}
	}
	if k.feeBp > 0 {
		t.Fees = append(t.Fees, Fee{Type: FeeDisbursement, Calculation: FeePercentOfPrincipal, Amount: decimal.New(k.feeBp, -2), Deducted: k.deducted})
	}
	if k.monthlyFeeBp > 0 {
		t.Fees = append(t.Fees, Fee{Type: FeeMonthly, Calculation: FeeFlat, Amount: decimal.New(k.monthlyFeeBp, -2)})
	}
	return t
}

// checkInvariants asserts the properties every generated schedule must have and returns the first
// violation found.
func checkInvariants(t Terms, s *Schedule) error {
	n := t.Normalize()
	if len(s.Periods) == 0 {
		return errors.New("no periods")
	}
	sumP, sumI, sumF, sumT := decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
	for i, p := range s.Periods {
		if p.Number != i+1 {
			return fmt.Errorf("period %d numbered %d", i+1, p.Number)
		}
		for name, v := range map[string]decimal.Decimal{"principal": p.Principal, "interest": p.Interest, "fees": p.Fees, "total": p.Total, "balance": p.Balance} {
			if v.IsNegative() {
				return fmt.Errorf("period %d %s is negative: %s", p.Number, name, v)
			}
		}
		if !p.Total.Equal(p.Principal.Add(p.Interest).Add(p.Fees)) {
			return fmt.Errorf("period %d total %s is not principal+interest+fees", p.Number, p.Total)
		}
		if p.DueDate.Before(p.FromDate) || p.Days != daysIn(p.FromDate, p.DueDate) {
			return fmt.Errorf("period %d dates %s..%s days %d", p.Number, p.FromDate, p.DueDate, p.Days)
		}
		if i > 0 && p.DueDate.Before(s.Periods[i-1].DueDate) {
			return fmt.Errorf("period %d due before period %d", p.Number, i)
		}
		sumP, sumI, sumF, sumT = sumP.Add(p.Principal), sumI.Add(p.Interest), sumF.Add(p.Fees), sumT.Add(p.Total)
	}
	principal := asMoney(n, newRounder(n)).Principal
	if !sumP.Equal(principal) {
		return fmt.Errorf("principal parts sum to %s, principal is %s", sumP, principal)
	}
	if last := s.Periods[len(s.Periods)-1]; !last.Balance.IsZero() {
		return fmt.Errorf("last balance is %s", last.Balance)
	}
	for name, pair := range map[string][2]decimal.Decimal{
		"total_principal": {s.TotalPrincipal, sumP}, "total_interest": {s.TotalInterest, sumI},
		"total_fees": {s.TotalFees, sumF}, "total_repayment": {s.TotalRepayment, sumT},
	} {
		if !pair[0].Equal(pair[1]) {
			return fmt.Errorf("%s %s is not the column sum %s", name, pair[0], pair[1])
		}
	}
	if s.APR.IsNegative() {
		return fmt.Errorf("negative APR %s", s.APR)
	}
	return nil
}

// checkAllocation asserts that allocating amount over the schedule neither loses nor invents a cent
// and never pays more than is due.
func checkAllocation(s *Schedule, amount decimal.Decimal) error {
	ds := dues(s)
	a, err := Allocate(ds, amount)
	if err != nil {
		return err
	}
	total := a.Overpayment
	byNumber := map[int]Due{}
	for _, d := range ds {
		byNumber[d.Number] = d
	}
	for _, part := range a.Parts {
		d := byNumber[part.Number]
		if part.Principal.GreaterThan(d.Principal) || part.Interest.GreaterThan(d.Interest) || part.Fees.GreaterThan(d.Fees) {
			return fmt.Errorf("part %d pays more than is due", part.Number)
		}
		total = total.Add(part.Total())
	}
	if !total.Equal(amount) {
		return fmt.Errorf("allocated %s of %s", total, amount)
	}
	if a.Overpayment.IsNegative() {
		return fmt.Errorf("negative overpayment %s", a.Overpayment)
	}
	return nil
}

// randomValid draws terms that Validate accepts from realistic consumer-loan ranges.
func randomValid(r *rand.Rand) Terms {
	for {
		k := knobs{
			principalCents: 10_000 + r.Int64N(5_000_000_00),
			repayments:     1 + r.IntN(60),
			every:          1 + r.IntN(3),
			freq:           uint8(r.IntN(5)),
			rateFreq:       uint8(r.IntN(2)),
			rateBp:         r.Int64N(6000),
			method:         uint8(r.IntN(2)),
			amort:          uint8(r.IntN(2)),
			period:         uint8(r.IntN(2)),
			diy:            uint8(r.IntN(4)),
			dim:            uint8(r.IntN(2)),
			partial:        r.IntN(2) == 0,
			places:         int32([]int{2, 2, 0, 3}[r.IntN(4)]),
			mode:           uint8(r.IntN(4)),
			engine:         uint8(r.IntN(2)),
			startOffset:    r.IntN(3000),
		}
		if k.places == 0 && r.IntN(2) == 0 {
			k.multiple = []int64{10, 50, 100}[r.IntN(3)]
		}
		if r.IntN(3) == 0 {
			k.installmentM = []int64{1, 5, 10}[r.IntN(3)]
		}
		if r.IntN(4) == 0 {
			k.firstOffset = 10 + r.IntN(50)
		}
		if r.IntN(4) == 0 {
			k.downBp = r.Int64N(5000)
		}
		if r.IntN(3) == 0 {
			k.tranches = uint8(2 + r.IntN(3))
		}
		if r.IntN(2) == 0 {
			k.feeBp, k.deducted = r.Int64N(1000), r.IntN(2) == 0
		}
		if r.IntN(2) == 0 {
			k.monthlyFeeBp = r.Int64N(5000)
		}
		if k.engine == 0 && k.repayments > 3 && r.IntN(3) == 0 {
			k.gP, k.gIP, k.gIC = r.IntN(3), r.IntN(3), r.IntN(2)
		}
		if t := termsFrom(k); t.Validate() == nil {
			return t
		}
	}
}

func TestScheduleProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 2024))
	for i := range 3000 {
		terms := randomValid(r)
		s, err := Generate(terms)
		require.NoError(t, err, "case %d: %+v", i, terms)
		require.NoError(t, checkInvariants(terms, s), "case %d: %+v", i, terms)
		pay := s.TotalRepayment.Mul(decimal.NewFromFloat(r.Float64() * 1.2)).Round(2)
		require.NoError(t, checkAllocation(s, pay), "case %d", i)
	}
}

// FuzzGenerate feeds arbitrary terms to Generate: it must either reject them with a
// *ValidationError or return a schedule with every invariant; it must never panic.
func FuzzGenerate(f *testing.F) {
	f.Add(int64(500000), 18, 1, uint8(0), int64(1200), uint32(0), 0, 0, int32(2), int64(0), int64(1), int64(0))
	f.Add(int64(1000000), 6, 1, uint8(2), int64(948), uint32(0x0f), 3, 40, int32(2), int64(0), int64(0), int64(1230))
	f.Add(int64(500000000), 12, 1, uint8(0), int64(2400), uint32(0x31), 1, 0, int32(0), int64(100), int64(0), int64(0))
	f.Add(int64(-5), 0, -1, uint8(9), int64(-1), uint32(0xffffffff), -3, -9, int32(-1), int64(-1), int64(-1), int64(-1))
	f.Fuzz(func(t *testing.T, cents int64, n, every int, freq uint8, rateBp int64, flags uint32, grace, first int,
		places int32, multiple, installmentM, downBp int64) {
		k := knobs{
			principalCents: cents, repayments: n, every: every, freq: freq, rateBp: rateBp,
			rateFreq: uint8(flags), method: uint8(flags >> 1), amort: uint8(flags >> 2), period: uint8(flags >> 3),
			diy: uint8(flags >> 4), dim: uint8(flags >> 6), partial: flags&(1<<7) != 0, mode: uint8(flags >> 8),
			engine: uint8(flags >> 10), tranches: uint8(flags>>11) & 3, deducted: flags&(1<<13) != 0,
			gP: grace % 5, gIP: (grace / 5) % 5, gIC: (grace / 25) % 5, places: places, multiple: multiple,
			installmentM: installmentM, startOffset: int(flags>>16) % 20000, firstOffset: first, downBp: downBp,
			feeBp: int64(flags>>14) & 0x3ff, monthlyFeeBp: int64(flags>>24) * 7,
		}
		terms := termsFrom(k)
		s, err := Generate(terms)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("error is not a validation error listing problems: %v", err)
			}
			return
		}
		if err := checkInvariants(terms, s); err != nil {
			t.Fatalf("%v\nterms: %+v", err, terms)
		}
		if err := checkAllocation(s, s.TotalRepayment.Add(decimal.New(1, -2))); err != nil {
			t.Fatal(err)
		}
	})
}
