package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registerer is where other metric sources of the process (the Temporal
// SDK's, through OpenTelemetry) register to be served with loanflow's.
var Registerer prometheus.Registerer = prometheus.DefaultRegisterer

// Handler serves every registered metric in Prometheus's text format.
func Handler() http.Handler { return promhttp.Handler() }
