// Package frontends puts every HTTP front end of loanflow on one router:
// the partner and back-office JSON APIs, the Iute-compatible partner façade,
// the back-office console and the Temporal payload codec. All of them call
// the same service.Service.
package frontends

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/converter"

	"github.com/loanflow/loanflow/api"
	"github.com/loanflow/loanflow/api/console"
	"github.com/loanflow/loanflow/api/iutefacade"
	"github.com/loanflow/loanflow/internal/encryption"
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
	// PayloadCodec, when set, is served to staff at /codec/encode and
	// /codec/decode for the Temporal UI, which may call from CodecOrigin.
	PayloadCodec converter.PayloadCodec
	CodecOrigin  string
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
	if o.PayloadCodec != nil {
		mountCodec(r, svc, o)
	}
	return r
}

func mountCodec(r *gin.Engine, svc *service.Service, o Options) {
	ep := encryption.NewCodecEndpoint(o.PayloadCodec, o.CodecOrigin, func(ctx context.Context, user, pw, ip string) bool {
		_, err := svc.AuthenticateStaff(ctx, user, pw, ip)
		return err == nil
	})
	for _, path := range []string{"/codec/encode", "/codec/decode"} {
		for _, method := range []string{http.MethodPost, http.MethodOptions, http.MethodGet} {
			r.Handle(method, path, gin.WrapH(ep))
		}
	}
}
