// Package loadtest drives whole loans, quotes and submissions over HTTP
// against a running loanflow, and the same lifecycle on a bare Temporal
// workflow on the same Temporal server, and reports loans/s, the latency
// of each call and the ratios between the two. Figures on a shared machine
// are only comparable within one run, so every figure comes with its
// baseline measured in the same run.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
)

// Options of one run.
type Options struct {
	// API is loanflow's base URL, e.g. http://127.0.0.1:8080.
	API string
	// Credentials of the partner that submits and repays, the underwriter
	// who approves and the operations user who authorizes the pay-out.
	Partner, Underwriter, Operations Credential
	// Product is the code of the product the loans are submitted under.
	Product string
	// Loans run from submission to CLOSED, Concurrency of them at a time.
	Loans, Concurrency int
	// Quotes are sent to loanflow and to the bare handler each.
	Quotes int
	// Identity numbers the run's applicants from this number on, so that
	// runs on one database do not meet the open-loans rule.
	Identity int
	// Live loans are then taken to ACTIVE and left there, Concurrency at a
	// time, and the memory they hold is read from Metrics (loanflow's
	// /metrics URL) before and after. 0 skips it.
	Live    int
	Metrics string
	// Temporal runs the bare baseline; nil skips it.
	Temporal client.Client
	// HTTP is the client of the calls (nil: one with a 70 s timeout, past
	// the API's own 60 s answer to a slow Update).
	HTTP *http.Client
}

// Credential is a username and its secret.
type Credential struct{ User, Secret string }

// Report is what a run measured.
type Report struct {
	Loans, Failed  int
	LoansPerSecond float64
	// BareLoansPerSecond is the bare workflow's, 0 when skipped.
	BareLoansPerSecond float64
	QuotesPerSecond    float64
	BareQuotesPerSec   float64
	// HistoryEvents is how many events one closed loan's workflow
	// history holds (its last run), BareHistoryEvents the bare one's.
	HistoryEvents, BareHistoryEvents int64
	// Calls are the latencies of each kind of call to loanflow.
	Calls map[string]*Latencies
	// Statuses counts loanflow's answers by HTTP status (503s are the
	// API giving up on a slow workflow).
	Statuses map[int]int
	// Live is how many loans were left ACTIVE, and the memory of
	// loanflow's process before and after them.
	Live                int
	MemBefore, MemAfter Memory
	// Errors holds the first failures, for whoever reads the report.
	Errors []string
}

// Latencies of one kind of call.
type Latencies struct{ samples []time.Duration }

func (l *Latencies) add(d time.Duration) { l.samples = append(l.samples, d) }

// Quantile is the q-quantile (0 < q <= 1) of the samples.
func (l *Latencies) Quantile(q float64) time.Duration {
	if len(l.samples) == 0 {
		return 0
	}
	s := slices.Clone(l.samples)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// Count is the number of calls.
func (l *Latencies) Count() int { return len(l.samples) }

// recorder collects what concurrent loans measure.
type recorder struct {
	mu     sync.Mutex
	report *Report
}

func (r *recorder) call(name string, status int, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.report.Calls[name]
	if l == nil {
		l = &Latencies{}
		r.report.Calls[name] = l
	}
	l.add(d)
	r.report.Statuses[status]++
}

func (r *recorder) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.report.Failed++
	if len(r.report.Errors) < 5 {
		r.report.Errors = append(r.report.Errors, err.Error())
	}
}

// Run measures, in order: quotes against loanflow and against a bare Gin
// handler answering the same JSON, whole loans through loanflow, and the
// same lifecycle on the bare workflow.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 70 * time.Second}
	}
	if o.Product == "" {
		o.Product = "consumer"
	}
	if o.Loans < 1 || o.Concurrency < 1 {
		return nil, errors.New("loans and concurrency must be at least 1")
	}
	rep := &Report{Calls: map[string]*Latencies{}, Statuses: map[int]int{}}
	rec := &recorder{report: rep}
	d := &driver{o: o, rec: rec}
	if o.Quotes > 0 {
		var err error
		if rep.QuotesPerSecond, rep.BareQuotesPerSec, err = d.quotes(ctx); err != nil {
			return nil, err
		}
	}
	began := time.Now()
	var closed atomic.Int64
	parallel(o.Loans, o.Concurrency, func(i int) {
		ref, err := d.loan(ctx, o.Identity+i, true)
		if err != nil {
			rec.fail(err)
			return
		}
		closed.CompareAndSwap(0, ref)
	})
	rep.Loans = o.Loans - rep.Failed
	rep.LoansPerSecond = float64(rep.Loans) / time.Since(began).Seconds()
	if o.Temporal != nil {
		bare, events, err := runBare(ctx, o.Temporal, o.Loans, o.Concurrency)
		if err != nil {
			return nil, fmt.Errorf("bare workflow: %w", err)
		}
		rep.BareLoansPerSecond, rep.BareHistoryEvents = bare, events
		if ref := closed.Load(); ref != 0 {
			if rep.HistoryEvents, err = historyLength(ctx, o.Temporal, fmt.Sprintf("loan-%d", ref)); err != nil {
				return nil, err
			}
		}
	}
	if o.Live > 0 {
		if err := d.live(ctx, rep); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// live leaves Options.Live loans ACTIVE and reads what memory they hold.
// The bare baseline ran before, so its workflows are no longer in the
// process's memory, and the whole loans closed: what grows is the live
// loans'.
func (d *driver) live(ctx context.Context, rep *Report) error {
	before, err := readMemory(ctx, d.o.HTTP, d.o.Metrics)
	if err != nil {
		return err
	}
	failed := rep.Failed
	parallel(d.o.Live, d.o.Concurrency, func(i int) {
		if _, err := d.loan(ctx, d.o.Identity+d.o.Loans+i, false); err != nil {
			d.rec.fail(err)
		}
	})
	rep.Live = d.o.Live - (rep.Failed - failed)
	// A moment for the last workflow tasks and a collection to run.
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(3 * time.Second):
	}
	after, err := readMemory(ctx, d.o.HTTP, d.o.Metrics)
	if err != nil {
		return err
	}
	rep.MemBefore, rep.MemAfter = before, after
	return nil
}

// parallel runs fn(0..n-1), at most c at a time.
func parallel(n, c int, fn func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, c)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(i)
		}()
	}
	wg.Wait()
}

// Print writes the report for people.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "loans: %d closed, %d failed\n", r.Loans, r.Failed)
	fmt.Fprintf(w, "lifecycle: %.2f loans/s", r.LoansPerSecond)
	if r.BareLoansPerSecond > 0 {
		fmt.Fprintf(w, "; bare workflow %.2f loans/s; ratio %.2fx", r.BareLoansPerSecond, r.LoansPerSecond/r.BareLoansPerSecond)
	}
	fmt.Fprintln(w)
	if r.HistoryEvents > 0 {
		fmt.Fprintf(w, "history: %d events per loan; bare workflow %d\n", r.HistoryEvents, r.BareHistoryEvents)
	}
	if r.QuotesPerSecond > 0 {
		fmt.Fprintf(w, "quotes: %.0f req/s; bare Gin handler %.0f req/s; ratio %.2fx\n", r.QuotesPerSecond, r.BareQuotesPerSec, r.QuotesPerSecond/r.BareQuotesPerSec)
	}
	if r.Live > 0 {
		per := func(b, a float64) float64 { return (a - b) / float64(r.Live) / 1024 }
		fmt.Fprintf(w, "memory: %d loans left ACTIVE: %.0f kB each resident (%.0f MB → %.0f MB), %.0f kB heap in use, %.0f kB goroutine stacks, %.1f goroutines\n",
			r.Live, per(r.MemBefore.RSS, r.MemAfter.RSS), r.MemBefore.RSS/(1<<20), r.MemAfter.RSS/(1<<20),
			per(r.MemBefore.Heap, r.MemAfter.Heap), per(r.MemBefore.Stacks, r.MemAfter.Stacks),
			(r.MemAfter.Goroutines-r.MemBefore.Goroutines)/float64(r.Live))
	}
	fmt.Fprintf(w, "%-12s %6s %10s %10s\n", "call", "count", "p50", "p99")
	for _, name := range slices.Sorted(maps.Keys(r.Calls)) {
		l := r.Calls[name]
		fmt.Fprintf(w, "%-12s %6d %10s %10s\n", name, l.Count(), l.Quantile(0.5).Round(time.Microsecond*100), l.Quantile(0.99).Round(time.Microsecond*100))
	}
	fmt.Fprintf(w, "HTTP statuses: %v\n", r.Statuses)
	for _, e := range r.Errors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
}
