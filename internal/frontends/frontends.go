// Package frontends puts every HTTP front end of loanflow on one router:
// the partner and back-office JSON APIs, the Iute-compatible partner façade
// and the back-office console. All of them call the same service.Service.
package frontends

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/api"
	"github.com/loanflow/loanflow/api/console"
	"github.com/loanflow/loanflow/api/iutefacade"
	"github.com/loanflow/loanflow/internal/trustedproxy"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// Options are what the front ends need beyond the Service.
type Options struct {
	// Store is the Service's store; the console keeps its sessions there.
	Store *models.Store
	// ApprovalSLA is the approval TTL the Service applies; the console
	// shows each application's age against it.
	ApprovalSLA time.Duration
	// TemporalUIURL is the Temporal UI's base URL: the console links each
	// loan to its workflow there. Empty: no link.
	TemporalUIURL     string
	TemporalNamespace string
	// TrustedProxies are the load balancers whose X-Forwarded-For and
	// X-Forwarded-Proto every front end believes.
	TrustedProxies trustedproxy.List
}

// Router is the whole HTTP surface of loanflow.
func Router(svc *service.Service, o Options) *gin.Engine {
	r := api.NewEngine(svc.Logger(), o.TrustedProxies)
	api.Mount(r, svc)
	iutefacade.Mount(r, svc, iutefacade.Options{Logger: svc.Logger()})
	console.Mount(r, svc, console.Options{
		Store: o.Store, TemporalUIURL: o.TemporalUIURL, TemporalNamespace: o.TemporalNamespace,
		Now: svc.Now, ApprovalSLA: o.ApprovalSLA, Logger: svc.Logger(),
	})
	return r
}
