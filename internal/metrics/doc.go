// Package metrics holds loanflow's own Prometheus metrics, every one named
// loanflow_…: HTTP requests by route and status, loans by transition, and
// the amounts paid out and repaid. Activities and the HTTP front end record
// into it; Handler serves them with the Go runtime's and, once registered,
// the Temporal SDK's on /metrics. It registers on Prometheus's default
// registry: a process has one /metrics.
package metrics
