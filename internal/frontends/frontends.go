// Package frontends puts every HTTP front end of loanflow on one router:
// the partner and back-office JSON APIs, the Iute-compatible partner façade,
// the WebMoney external-loans list and the back-office console. All of them
// call the same api.Service.
package frontends

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/api"
	"github.com/loanflow/loanflow/api/console"
	"github.com/loanflow/loanflow/api/iute"
)

// Options are what the front ends need beyond api.Deps.
type Options struct {
	// TemporalUIURL is the Temporal UI's base URL: the console links each
	// loan to its workflow there. Empty: no link.
	TemporalUIURL     string
	TemporalNamespace string
	// TrustProxyHeaders: the console sits behind a reverse proxy that sets
	// X-Forwarded-Proto and X-Forwarded-For.
	TrustProxyHeaders bool
}

// Router is the whole HTTP surface of loanflow.
func Router(d api.Deps, o Options) *gin.Engine {
	logger := d.Logger
	if logger == nil {
		logger = slog.Default()
	}
	d.Extensions = append(d.Extensions,
		iute.Extension(iute.Options{Logger: logger}),
		api.ExternalLoans(d.Store),
		console.New(console.Options{
			Store: d.Store, TemporalUIURL: o.TemporalUIURL, TemporalNamespace: o.TemporalNamespace,
			Now: d.Now, ApprovalSLA: d.ApprovalTTL, TrustProxyHeaders: o.TrustProxyHeaders, Logger: logger,
		}),
	)
	return api.NewRouter(d)
}
