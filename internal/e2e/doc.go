// Package e2e walks whole loans over HTTP against the real stack: the
// embedded Temporal server, the worker, the API and an SQLite database.
// With LOANFLOW_RECORD_HISTORY set, its tests record the workflow histories
// the replay test in workflows/ keeps. It holds tests only, and is one of
// the two packages that link the Temporal server.
package e2e
