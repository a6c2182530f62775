package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// BucketSource counts the loans being repaid by delinquency bucket.
type BucketSource func(ctx context.Context) (map[string]int64, error)

// portfolio is read from the database at each scrape rather than kept in
// memory: every replica then answers the same true figure, whichever
// worker moved a loan, and a restart loses nothing.
type portfolio struct {
	desc   *prometheus.Desc
	source BucketSource
	log    *slog.Logger
}

// scrapeTimeout bounds the query so that a slow database cannot hold a
// scrape past Prometheus's own timeout (10 s by default).
const scrapeTimeout = 5 * time.Second

// RegisterPortfolio serves loanflow_loans_by_delinquency_bucket from
// source. Register it in one process kind only (serve, dev), so that a sum
// over the fleet does not count a loan once per replica kind.
func RegisterPortfolio(source BucketSource, log *slog.Logger) error {
	return Registerer.Register(&portfolio{desc: newPortfolioDesc(), source: source, log: log})
}

func newPortfolioDesc() *prometheus.Desc {
	return prometheus.NewDesc("loanflow_loans_by_delinquency_bucket",
		"Loans being repaid, by delinquency bucket (current, 1-30, …; unknown: paid out before servicing and not yet reviewed).",
		[]string{"bucket"}, nil)
}

func (p *portfolio) Describe(ch chan<- *prometheus.Desc) { ch <- p.desc }

func (p *portfolio) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	counts, err := p.source(ctx)
	if err != nil {
		// An invalid metric fails the scrape, so the outage shows as a
		// scrape error rather than as a portfolio of zero loans.
		p.log.Warn("count loans by delinquency bucket", "error", err)
		ch <- prometheus.NewInvalidMetric(p.desc, err)
		return
	}
	for bucket, n := range counts {
		if bucket == "" {
			bucket = "unknown"
		}
		ch <- prometheus.MustNewConstMetric(p.desc, prometheus.GaugeValue, float64(n), bucket)
	}
}
