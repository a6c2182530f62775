package servicing

import (
	"testing"

	"github.com/loanflow/loanflow/schedule"
)

// mortgage is a 360-installment loan: 250,000.00 over 30 years at 7.9 %.
func mortgage(b *testing.B, p Policy) *Account {
	t := demoTerms()
	t.Principal, t.NumberOfRepayments, t.InterestRate = dec("250000.00"), 360, dec("7.9")
	s, err := schedule.Generate(t)
	if err != nil {
		b.Fatal(err)
	}
	a, err := Open(t, s, p)
	if err != nil {
		b.Fatal(err)
	}
	return a
}

var quoteSink Quote

func BenchmarkQuote360(b *testing.B) {
	a := mortgage(b, penaltyPolicy())
	on := date("2026-03-01")
	for b.Loop() {
		q, err := a.Quote(on)
		if err != nil {
			b.Fatal(err)
		}
		quoteSink = q
	}
}

func BenchmarkRepay360(b *testing.B) {
	for _, strategy := range []string{StrategyNextInstallments, StrategyReduceInstallment, StrategyReduceTerm} {
		b.Run(strategy, func(b *testing.B) {
			base := mortgage(b, penaltyPolicy())
			on := date("2025-03-01")
			for b.Loop() {
				a := base.clone()
				if _, err := a.Repay(dec("5000.00"), on, strategy); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
