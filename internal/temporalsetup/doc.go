// Package temporalsetup prepares a Temporal namespace for loanflow through the
// public SDK only, so the same code serves the embedded dev server and
// `loanflow migrate` against a production cluster: it waits for the frontend to
// answer health checks and registers the custom search attributes the loan
// workflows upsert.
package temporalsetup
