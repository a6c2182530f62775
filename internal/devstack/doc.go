// Package devstack runs, inside the loanflow process, a complete Temporal
// server persisted to a SQLite file plus the Temporal Web UI, for
// `loanflow dev`. History written to the file survives a restart, including a
// kill -9. The same server runs on PostgreSQL for the test of the production
// shape.
//
// It is the only package of loanflow that imports go.temporal.io/server and the
// UI server: they are heavy to compile and link, and production runs against a
// real cluster instead.
package devstack
