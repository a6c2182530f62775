#!/usr/bin/env bash
# `make bench`: the load harness against a fresh `loanflow dev` on ports of
# its own, then the Go benchmarks. Arguments go to `loanflow bench`
# (e.g. -loans 200 -concurrency 50). Every figure is printed beside its
# baseline from the same run: compare ratios, not raw rates, across runs.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}

$GO build -o bin/loanflow ./cmd/loanflow
data=$(mktemp -d)
log="$data/dev.log"
# The harness measures throughput: the partner rate limit is raised out
# of its way.
export LOANFLOW_DATA_DIR="$data" LOANFLOW_HTTP_ADDR=127.0.0.1:18080 \
  LOANFLOW_DEV_TEMPORAL_ADDR=127.0.0.1:17233 LOANFLOW_TEMPORAL_UI_ADDR=127.0.0.1:18233 LOANFLOW_LOG_LEVEL=warn \
  LOANFLOW_PARTNER_RATE=1000000 LOANFLOW_PARTNER_BURST=1000000 LOANFLOW_METRICS_ADDR=127.0.0.1:19090
bin/loanflow dev >"$log" 2>&1 &
dev=$!
trap 'kill $dev 2>/dev/null; wait $dev 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -fsS http://127.0.0.1:18080/readyz >/dev/null 2>&1 && break
  kill -0 $dev 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
bin/loanflow bench -api http://127.0.0.1:18080 -temporal 127.0.0.1:17233 -metrics http://127.0.0.1:19090/metrics "$@"

echo
echo "Go benchmarks (schedule engine: declining balance and flat against the bare annuity loop, 360 periods):"
$GO test -run '^$' -bench . -benchmem ./schedule/

echo
echo "Go benchmarks (the submission's idempotency look-up at 10,000 loans against a near-empty store; a burst of credential checks after expiry, one bcrypt against one each):"
$GO test -run '^$' -bench BenchmarkIdempotencyLookup ./models/
$GO test -run '^$' -bench BenchmarkBurstAfterExpiry -benchtime=10x ./internal/auth/
