package api

import (
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/trustedproxy"
	"github.com/loanflow/loanflow/service"
)

// handlers binds the HTTP routes to the Service.
type handlers struct {
	svc *service.Service
	log *slog.Logger
}

// NewEngine is a Gin engine with what every front end needs: problem
// answers for unknown routes and methods, panic recovery and one log line
// per request. Front ends mount their routes on it. The client of a request
// is its peer, or the address a trusted proxy forwarded (trustedproxy).
func NewEngine(log *slog.Logger, proxies trustedproxy.List) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	h := &handlers{log: log}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	proxies.Apply(r)
	r.Use(observe()...)
	r.Use(gin.CustomRecoveryWithWriter(io.Discard, h.recovered), h.logRequest)
	r.NoRoute(func(c *gin.Context) {
		writeProblem(c, http.StatusNotFound, "not-found", "no such resource", nil)
	})
	r.NoMethod(func(c *gin.Context) {
		writeProblem(c, http.StatusMethodNotAllowed, "method-not-allowed", "method "+c.Request.Method+" is not allowed here", nil)
	})
	return r
}

// NewRouter is an engine with the JSON APIs alone mounted (Mount), reached
// directly (no trusted proxies).
func NewRouter(svc *service.Service) *gin.Engine {
	r := NewEngine(svc.Logger(), nil)
	Mount(r, svc)
	return r
}

// Mount adds /healthz, /readyz, the partner API under /v1 with its OpenAPI
// document and the document's page (unauthenticated), and the back office
// under /backoffice/v1 to r.
func Mount(r *gin.Engine, svc *service.Service) {
	h := &handlers{svc: svc, log: svc.Logger()}
	r.GET("/healthz", h.healthz)
	r.GET("/readyz", h.readyz)

	r.GET(openAPIPath, h.openAPIDocument)
	r.GET(docsPath, h.apiDocs)

	v1 := r.Group("/v1", h.refuseCrossSite, h.requirePartner, h.limitPartner)
	v1.POST("/quotes", acceptJSON, h.quote)
	v1.POST("/loans", acceptJSON, h.submitLoan)
	v1.GET("/loans", h.listLoans)
	v1.GET("/loans/:ref", h.getLoan)
	v1.POST("/loans/:ref/cancel", acceptJSON, h.loanAction(true, h.cancel))
	v1.GET("/loans/:ref/agreement", h.agreement)
	v1.POST("/loans/:ref/documents", acceptMultipart, h.uploadDocument)
	v1.POST("/loans/:ref/otp", acceptJSON, h.loanAction(false, h.submitOTP))
	v1.GET("/loans/:ref/cash-release", h.cashRelease)
	v1.POST("/loans/:ref/disbursement", acceptJSON, h.loanAction(true, h.confirmDisbursement))
	v1.POST("/loans/:ref/repayments", acceptJSON, h.loanAction(false, h.repay))
	v1.GET("/loans/:ref/schedule", h.schedule)
	v1.GET("/loans/:ref/payoff", h.payoff(partnerCaller))
	v1.POST("/loans/:ref/payoff", acceptJSON, h.loanAction(false, h.settle))
	v1.PUT("/webhook", acceptJSON, noStore, h.putWebhook)
	v1.GET("/webhook", h.getWebhook)
	v1.DELETE("/webhook", h.deleteWebhook)
	v1.POST("/webhook/rotate-secret", acceptJSON, noStore, h.rotateWebhookSecret)
	v1.GET("/webhook/deliveries", h.listWebhookDeliveries)

	bo := r.Group("/backoffice/v1", h.refuseCrossSite, h.requireStaff)
	bo.GET("/loans", h.staffListLoans)
	bo.GET("/loans/:ref", h.staffGetLoan)
	bo.GET("/loans/:ref/documents/:id", h.staffGetDocument)
	bo.POST("/loans/:ref/approve", acceptJSON, h.loanAction(true, h.approve))
	bo.POST("/loans/:ref/reject", acceptJSON, h.loanAction(true, h.reject))
	bo.POST("/loans/:ref/documents/reject", acceptJSON, h.loanAction(true, h.rejectDocuments))
	bo.POST("/loans/:ref/cash-release/authorize", acceptJSON, h.loanAction(true, h.authorizeCashRelease))
	bo.POST("/loans/:ref/provider/retry", acceptJSON, h.loanAction(true, h.retryProvider))
	bo.POST("/loans/:ref/lender/resolve", acceptJSON, h.loanAction(false, h.resolveLender))
	bo.GET("/attention", h.attention)
	bo.POST("/loans/:ref/held-repayments/:id/book", acceptJSON, h.loanAction(true, h.bookHeld))
	bo.POST("/loans/:ref/held-repayments/:id/dismiss", acceptJSON, h.loanAction(true, h.dismissHeld))
	bo.GET("/loans/:ref/payoff", h.payoff(staffCaller))
	bo.POST("/loans/:ref/refunds", acceptJSON, h.loanAction(false, h.refund))
	bo.POST("/loans/:ref/waivers", acceptJSON, h.loanAction(false, h.waive))
	bo.POST("/loans/:ref/write-off", acceptJSON, h.loanAction(false, h.writeOff))
	bo.POST("/loans/:ref/reschedule", acceptJSON, h.loanAction(false, h.reschedule))
	bo.GET("/external-loans", h.listExternalLoans)
	bo.POST("/external-loans/import", acceptJSON, h.importExternalLoans)
	bo.GET("/external-loans/:source/:id", h.getExternalLoan)

	adm := bo.Group("", h.requireAdmin)
	adm.GET("/staff", h.listStaff)
	adm.POST("/staff", acceptJSON, noStore, h.createStaff)
	adm.POST("/staff/:username/disable", acceptJSON, h.setStaffActive(false))
	adm.POST("/staff/:username/enable", acceptJSON, h.setStaffActive(true))
	adm.POST("/staff/:username/role", acceptJSON, h.setStaffRole)
	adm.POST("/staff/:username/reset-password", acceptJSON, noStore, h.resetStaffPassword)
	adm.GET("/partners", h.listPartners)
	adm.POST("/partners", acceptJSON, noStore, h.createPartner)
	adm.POST("/partners/:username/rotate", acceptJSON, noStore, h.rotatePartner)
	adm.POST("/partners/:username/disable", acceptJSON, h.setPartnerActive(false))
	adm.POST("/partners/:username/enable", acceptJSON, h.setPartnerActive(true))
	adm.POST("/partners/:username/rate-limit", acceptJSON, h.setPartnerRateLimit)
	adm.GET("/products", h.listProducts)
	adm.POST("/products", acceptJSON, h.createProduct)
	adm.PATCH("/products/:code", acceptJSON, h.patchProduct)
	adm.GET("/webhooks", h.listWebhooks)
	adm.PUT("/partners/:username/webhook", acceptJSON, h.editWebhook)
	adm.GET("/webhook-deliveries", h.staffListWebhookDeliveries)
	adm.GET("/webhook-deliveries/:id", h.getWebhookDelivery)
	adm.POST("/webhook-deliveries/:id/redeliver", acceptJSON, h.redeliverWebhook)
}

// noStore marks the answers of a route that may hold a secret shown only
// once (a password, an API or signing secret): no cache keeps them.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// recovered answers a panic with a 500 problem. Inputs never get here (they
// are validated into 4xx); a panic is a bug, logged with its stack.
func (h *handlers) recovered(c *gin.Context, rec any) {
	h.log.ErrorContext(c.Request.Context(), "panic serving request", "method", c.Request.Method, "route", c.FullPath(),
		"panic", rec, "stack", string(debug.Stack()))
	writeProblem(c, http.StatusInternalServerError, "internal", "an internal error occurred", nil)
}

// logRequest logs one line per request: no bodies, no headers (the
// Authorization header carries a password), no query strings.
func (h *handlers) logRequest(c *gin.Context) {
	start := time.Now()
	c.Next()
	h.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "http request", slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path), slog.Int("status", c.Writer.Status()),
		slog.Duration("duration", time.Since(start)), slog.String("client", c.ClientIP()))
}

func (h *handlers) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

func (h *handlers) readyz(c *gin.Context) {
	check, err := h.svc.Ready(c.Request.Context())
	if err != nil {
		h.log.WarnContext(c.Request.Context(), "not ready", "check", check, "error", err)
		msg := "not reachable"
		if fe := failure.As(err); fe != nil {
			msg = fe.Detail
		}
		writeProblem(c, http.StatusServiceUnavailable, "not-ready", check+" check failed",
			[]failure.FieldError{{Field: check, Message: msg}})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "checks": gin.H{"database": "ok", "temporal": "ok"}})
}
