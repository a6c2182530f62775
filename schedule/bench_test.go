package schedule

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// annuityRow is what the baseline produces per period, so both sides of the comparison build a schedule.
type annuityRow struct {
	principal, interest, balance decimal.Decimal
}

// bareAnnuity is the baseline of issue 3: one decimal payment, then per period interest = balance × rate
// rounded, principal = payment − interest. No dates, fees, grace, last-period fix-up or APR.
func bareAnnuity(principal, rate decimal.Decimal, n int, out []annuityRow) {
	payment := pmt(rate, n, principal).Round(2)
	balance := principal
	for i := range n {
		interest := balance.Mul(rate).Round(2)
		p := payment.Sub(interest)
		balance = balance.Sub(p)
		out[i] = annuityRow{principal: p, interest: interest, balance: balance}
	}
}

func benchTerms(n int, method string) Terms {
	return Terms{
		Principal: dec("250000.00"), DisbursementDate: day("2024-01-15"), NumberOfRepayments: n,
		InterestRate: dec("7.9"), InterestRateFrequency: Years, InterestMethod: method,
		Currency: Currency{Code: "EUR", DecimalPlaces: 2},
		Fees: []Fee{{Type: FeeDisbursement, Calculation: FeePercentOfPrincipal, Amount: dec("1.5"), Deducted: true},
			{Type: FeeMonthly, Calculation: FeeFlat, Amount: dec("4.90")}},
	}
}

var benchSink *Schedule

func BenchmarkBareAnnuity(b *testing.B) {
	rate := dec("7.9").Div(dec("1200"))
	for _, n := range []int{12, 60, 360} {
		b.Run(fmt.Sprintf("months=%d", n), func(b *testing.B) {
			out := make([]annuityRow, n)
			b.ReportAllocs()
			for range b.N {
				bareAnnuity(dec("250000.00"), rate, n, out)
			}
		})
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, method := range []string{InterestDecliningBalance, InterestFlat} {
		for _, n := range []int{12, 60, 360} {
			b.Run(fmt.Sprintf("%s/months=%d", method, n), func(b *testing.B) {
				terms := benchTerms(n, method)
				b.ReportAllocs()
				for range b.N {
					s, err := Generate(terms)
					if err != nil {
						b.Fatal(err)
					}
					benchSink = s
				}
			})
		}
	}
}

// BenchmarkRatio360 times the full engine (declining balance, fees, APR) and the bare annuity loop in
// one run and reports engine time / baseline time. The two alternate every iteration so that load
// from other processes on the machine falls on both sides alike.
func BenchmarkRatio360(b *testing.B) {
	terms := benchTerms(360, InterestDecliningBalance)
	rate := dec("7.9").Div(dec("1200"))
	out := make([]annuityRow, 360)
	var engine, baseline time.Duration
	for range b.N {
		start := time.Now()
		s, err := Generate(terms)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = s
		mid := time.Now()
		bareAnnuity(dec("250000.00"), rate, 360, out)
		engine += mid.Sub(start)
		baseline += time.Since(mid)
	}
	b.ReportMetric(float64(engine)/float64(baseline), "x-baseline")
}
