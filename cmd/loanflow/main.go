// Command loanflow is the one binary of the loan orchestration service:
// the embedded dev stack, the API, the worker, migrations and the schedule
// calculator.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/loanflow/loanflow/internal/config"
	"github.com/loanflow/loanflow/internal/logging"
)

const usage = `usage: loanflow <command>

commands:
  dev        API + worker + embedded Temporal server and UI + SQLite, in one process
  serve      the HTTP API (production: LOANFLOW_DATABASE_URL, LOANFLOW_TEMPORAL_ADDRESS)
  worker     the Temporal worker running loan workflows and activities
  migrate    apply database migrations; create the Temporal namespace and its search attributes (repeatable)
  staff add  create a staff member: loanflow staff add --username NAME --role admin|underwriter|operations
  schedule   read schedule terms as JSON on stdin, write the repayment schedule on stdout
  sim        serve the provider simulators standalone: loanflow sim -fineract 127.0.0.1:8181 -iute :8182 …
  bench      drive whole loans and quotes over HTTP against a running loanflow, beside a bare Temporal baseline: loanflow bench -loans 100 -concurrency 8
  healthcheck exit 0 when the local API answers /readyz, or with "metrics" the local /metrics (container health checks)

Configuration is read from LOANFLOW_* environment variables; see README.md.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	level, format := config.Logging()
	logger, err := logging.New(stderr, level, format)
	if err != nil {
		fmt.Fprintf(stderr, "loanflow: %v\n", err)
		return 2
	}
	switch args[0] {
	case "dev":
		err = runDev(logger, stdout)
	case "serve":
		err = runServe(logger)
	case "worker":
		err = runWorker(logger)
	case "migrate":
		err = runMigrate(logger)
	case "staff":
		err = runStaff(args[1:], stdin, stdout)
	case "sim":
		err = runSim(args[1:], logger, stdout)
	case "bench":
		err = runBench(args[1:], stdout)
	case "healthcheck":
		err = runHealthcheck(args[1:])
	case "schedule":
		return runSchedule(stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "loanflow: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		logger.Error("loanflow "+args[0]+" failed", "error", err)
		return 1
	}
	return 0
}
