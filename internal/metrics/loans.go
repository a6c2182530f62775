package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/lending"
)

var transitions = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "loanflow_loan_transitions_total",
	Help: "Loan status changes recorded, by the status left and the status reached.",
}, []string{"from", "to"})

// Transition counts a loan's status change once it is recorded; callers
// count only the write that applied it, so a retried activity counts once.
func Transition(from, to lending.Status) {
	transitions.WithLabelValues(string(from), string(to)).Inc()
}

// Amounts paid out and repaid, by currency.
var (
	disbursed = newAmountCounter("loanflow_disbursed_amount_total",
		"Principal paid out to borrowers (net of any fee withheld), in the currency's major unit.")
	repaid = newAmountCounter("loanflow_repaid_amount_total",
		"Money received from borrowers, in the currency's major unit.")
)

func init() {
	prometheus.MustRegister(disbursed, repaid)
}

// Disbursed adds a pay-out.
func Disbursed(currency string, amount decimal.Decimal) { disbursed.add(currency, amount) }

// Repaid adds a repayment.
func Repaid(currency string, amount decimal.Decimal) { repaid.add(currency, amount) }

// amountCounter sums money exactly in decimal and turns the sums into
// Prometheus's float only when scraped, so no rounding error builds up
// however many amounts it adds.
type amountCounter struct {
	desc *prometheus.Desc
	mu   sync.Mutex
	sums map[string]decimal.Decimal
}

func newAmountCounter(name, help string) *amountCounter {
	return &amountCounter{
		desc: prometheus.NewDesc(name, help, []string{"currency"}, nil),
		sums: map[string]decimal.Decimal{},
	}
}

func (c *amountCounter) add(currency string, amount decimal.Decimal) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sums[currency] = c.sums[currency].Add(amount)
}

func (c *amountCounter) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *amountCounter) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for currency, sum := range c.sums {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, sum.InexactFloat64(), currency)
	}
}

var providerOperatorFailures = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "loanflow_provider_operator_failures_total",
	Help: "Provider calls refused for a reason the operator must fix (credentials, ledger product), by provider; each is retried until fixed.",
}, []string{"provider"})

// ProviderOperatorFailure counts a provider step that failed for the
// operator to fix.
func ProviderOperatorFailure(provider string) {
	providerOperatorFailures.WithLabelValues(provider).Inc()
}
