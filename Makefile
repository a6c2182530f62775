# The two commands of README.md: `make run` and `make test`.
GO ?= go

.PHONY: run test lint build bench

run: ## the whole service in one process: API, worker, embedded Temporal + UI, SQLite
	@echo "building loanflow (the first build compiles the Temporal server: a few minutes)..."
	$(GO) run ./cmd/loanflow dev

test: lint ## vet + workflow determinism check + every test (PostgreSQL ones need LOANFLOW_TEST_POSTGRES_DSN)
	$(GO) test -count=1 -timeout 30m ./...

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "not gofmt'ed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool workflowcheck ./workflows/...

build:
	$(GO) build -o bin/loanflow ./cmd/loanflow

bench: ## the load harness against a fresh dev stack (whole loans, quotes, a bare Temporal baseline), then the Go benchmarks; ARGS="-loans 200 -concurrency 50"
	GO=$(GO) scripts/bench.sh $(ARGS)
