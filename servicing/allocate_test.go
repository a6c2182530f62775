package servicing

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/schedule"
)

// part is an expected Part: principal, interest, fees, penalties.
func part(n int, principal, interest, fees, penalties string) Part {
	return Part{Number: n, Breakdown: Breakdown{Principal: dec(principal), Interest: dec(interest), Fees: dec(fees), Penalties: dec(penalties)}}
}

func requireParts(t *testing.T, want, got []Part) {
	t.Helper()
	require.Len(t, got, len(want), "parts %+v", got)
	for i := range want {
		w, g := want[i], got[i]
		require.Equal(t, w.Number, g.Number)
		for _, c := range []Component{Principal, Interest, Fees, Penalties} {
			requireMoney(t, w.of(c).String(), *g.of(c), "installment %d %s", w.Number, c)
		}
	}
}

// On 1 March 2025 installment 1 of the demo loan (309.20 principal, 60.00 interest, due 15 Feb) is
// overdue and has drawn a 25.00 late fee; installment 2 is not due until 15 March. 100.00 is short of
// what is due (394.20); 400.00 leaves 5.80 for installment 2, paid in advance.
func TestAllocationOrders(t *testing.T) {
	cases := []struct {
		order         string
		short, beyond []Part
	}{
		{OrderPenaltiesFeesInterestPrincipal,
			[]Part{part(1, "15.00", "60.00", "0", "25.00")},
			[]Part{part(1, "309.20", "60.00", "0", "25.00"), part(2, "0", "5.80", "0", "0")}},
		{OrderInterestPrincipalPenaltiesFees,
			[]Part{part(1, "40.00", "60.00", "0", "0")},
			[]Part{part(1, "309.20", "60.00", "0", "25.00"), part(2, "0", "5.80", "0", "0")}},
		{OrderPrincipalInterestPenaltiesFees,
			[]Part{part(1, "100.00", "0", "0", "0")},
			[]Part{part(1, "309.20", "60.00", "0", "25.00"), part(2, "5.80", "0", "0", "0")}},
		{OrderDueFirstThenAdvance, // due: penalties, fees, interest, principal; in advance: principal first
			[]Part{part(1, "15.00", "60.00", "0", "25.00")},
			[]Part{part(1, "309.20", "60.00", "0", "25.00"), part(2, "5.80", "0", "0", "0")}},
	}
	for _, tc := range cases {
		t.Run(tc.order, func(t *testing.T) {
			p := Policy{AllocationOrder: tc.order, LateFee: dec("25.00")}
			a := open(t, demoTerms(), p)
			res, err := a.Repay(dec("100.00"), date("2025-03-01"), "")
			require.NoError(t, err)
			requireMoney(t, "25.00", res.Accrued.Total, "late fee accrued first")
			requireParts(t, tc.short, res.Parts)

			b := open(t, demoTerms(), p)
			res, err = b.Repay(dec("400.00"), date("2025-03-01"), "")
			require.NoError(t, err)
			requireParts(t, tc.beyond, res.Parts)
			requireMoney(t, "0", res.Overpayment, "overpayment")
			requireChecks(t, a)
			requireChecks(t, b)
		})
	}
}

// With next_installments and the default order, every repayment lands where today's
// schedule.Allocate puts it, whatever its date: existing loans behave the same.
func TestNextInstallmentsIsTodaysAllocate(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for i := range 300 {
		terms := randomTerms(r)
		s, err := schedule.Generate(terms)
		if err != nil {
			continue
		}
		a, err := Open(terms, s, Policy{})
		require.NoError(t, err)
		on := a.DisbursedOn
		places := terms.Currency.DecimalPlaces
		for j := 0; a.State() == StateOpen && j < 30; j++ {
			on = on.AddDate(0, 0, r.IntN(40))
			amount := s.Periods[0].Total.Mul(decimal.NewFromInt(int64(1 + r.IntN(300)))).Div(decimal.NewFromInt(100)).Truncate(places)
			if !amount.IsPositive() {
				continue
			}
			want, err := schedule.Allocate(dues(a), amount)
			require.NoError(t, err)
			res, err := a.Repay(amount, on, StrategyNextInstallments)
			require.NoError(t, err)
			msg := fmt.Sprintf("loan %d payment %d of %s on %s", i, j, amount, on.Format("2006-01-02"))
			require.Len(t, res.Parts, len(want.Parts), msg)
			for k, w := range want.Parts {
				g := res.Parts[k]
				require.Equal(t, w.Number, g.Number, msg)
				for _, pair := range [][2]decimal.Decimal{{w.Principal, g.Principal}, {w.Interest, g.Interest}, {w.Fees, g.Fees}, {w.Penalties, g.Penalties}} {
					require.True(t, pair[0].Equal(pair[1]), "%s installment %d: Allocate %+v, Repay %+v", msg, w.Number, w, g)
				}
			}
			require.True(t, want.Overpayment.Equal(res.Overpayment), msg)
		}
	}
}

// dues is what the workflow hands schedule.Allocate today: each installment's outstanding amounts.
func dues(a *Account) []schedule.Due {
	out := make([]schedule.Due, len(a.Installments))
	for i, in := range a.Installments {
		out[i] = schedule.Due{Number: in.Number, Penalties: in.Penalties.Outstanding(), Fees: in.Fees.Outstanding(),
			Interest: in.Interest.Outstanding(), Principal: in.Principal.Outstanding()}
	}
	return out
}
