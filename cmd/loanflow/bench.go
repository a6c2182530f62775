package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"

	"github.com/loanflow/loanflow/internal/loadtest"
)

// runBench is `loanflow bench`: the load harness against a running loanflow
// (`make bench` starts one).
func runBench(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stdout)
	api := fs.String("api", "http://127.0.0.1:8080", "loanflow's base URL")
	temporalAddr := fs.String("temporal", "127.0.0.1:7233", "the Temporal frontend loanflow runs on, for the bare baseline (empty: no baseline)")
	namespace := fs.String("namespace", "default", "the Temporal namespace of the baseline")
	loans := fs.Int("loans", 100, "loans to take from submission to CLOSED")
	concurrency := fs.Int("concurrency", 8, "loans (and quotes) in flight at once")
	quotes := fs.Int("quotes", 1000, "quotes to send to loanflow and to the bare handler each (0: none)")
	product := fs.String("product", "consumer", "the product the loans are submitted under")
	identity := fs.Int("identity", int(time.Now().Unix()%1e5)*1000, "the first applicant's identity number (runs on one database need distinct ones)")
	partner := fs.String("partner", "demo:demo-secret", "the partner's username:secret")
	underwriter := fs.String("underwriter", "underwriter:underwriter-secret", "the approving underwriter's username:secret")
	operations := fs.String("operations", "operations:operations-secret", "the operations user's username:secret")
	live := fs.Int("live", 0, "loans then taken to ACTIVE and left there, to read the memory each holds from -metrics (0: none)")
	metricsURL := fs.String("metrics", "", "loanflow's /metrics URL, for -live")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o := loadtest.Options{API: strings.TrimRight(*api, "/"), Product: *product, Loans: *loans, Concurrency: *concurrency, Quotes: *quotes, Identity: *identity, Live: *live, Metrics: *metricsURL}
	if o.Live > 0 && o.Metrics == "" {
		return fmt.Errorf("-live needs -metrics, loanflow's /metrics URL")
	}
	for _, c := range []struct {
		flag, value string
		into        *loadtest.Credential
	}{{"partner", *partner, &o.Partner}, {"underwriter", *underwriter, &o.Underwriter}, {"operations", *operations, &o.Operations}} {
		user, secret, ok := strings.Cut(c.value, ":")
		if !ok {
			return fmt.Errorf("-%s: want username:secret", c.flag)
		}
		*c.into = loadtest.Credential{User: user, Secret: secret}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if *temporalAddr != "" {
		quiet := log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
		c, err := client.Dial(client.Options{HostPort: *temporalAddr, Namespace: *namespace, Logger: quiet})
		if err != nil {
			return fmt.Errorf("temporal: %w", err)
		}
		defer c.Close()
		o.Temporal = c
	}
	rep, err := loadtest.Run(ctx, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "loanflow bench: %d loans at concurrency %d against %s\n", *loans, *concurrency, o.API)
	rep.Print(stdout)
	return nil
}
