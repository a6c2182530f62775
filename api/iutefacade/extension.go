package iutefacade

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/service"
)

// Prefixes the façade is served under: Iute's own path, and the one its
// documentation's samples use.
var Prefixes = []string{iutewire.PathPrefix, "/iute" + iutewire.PathPrefix}

// Default retry windows (see the package documentation).
const (
	DefaultApplicationRetryWindow = 24 * time.Hour
	DefaultRepaymentRetryWindow   = 2 * time.Minute
)

// Options tune the façade; the zero value is ready to use.
type Options struct {
	// ApplicationRetryWindow: an add new loan identical to one submitted
	// less than this long ago answers that loan instead of creating another.
	ApplicationRetryWindow time.Duration
	// RepaymentRetryWindow: an insert repayment identical to one recorded
	// less than this long ago is taken for a retry of it.
	RepaymentRetryWindow time.Duration
	// Logger receives outages; slog.Default() when nil.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.ApplicationRetryWindow <= 0 {
		o.ApplicationRetryWindow = DefaultApplicationRetryWindow
	}
	if o.RepaymentRetryWindow <= 0 {
		o.RepaymentRetryWindow = DefaultRepaymentRetryWindow
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// endpoint is one interface of the Iute document with its handler.
type endpoint struct {
	iutewire.Interface
	handle func(*handlers, *partnerCall)
}

// endpoints lists every interface of the document.
var endpoints = []endpoint{
	{iutewire.Calculate, (*handlers).calculate},
	{iutewire.AddLoan, (*handlers).addLoan},
	{iutewire.CancelLoan, (*handlers).cancelLoan},
	{iutewire.CheckLoanStatus, (*handlers).checkStatus},
	{iutewire.CheckLoanInfo, (*handlers).loanInfo},
	{iutewire.GenerateAgreement, (*handlers).generateAgreement},
	{iutewire.UploadFiles, (*handlers).uploadFiles},
	{iutewire.AllowCashRelease, (*handlers).allowCashRelease},
	{iutewire.ConfirmCashRelease, (*handlers).confirmCashRelease},
	{iutewire.InsertRepayment, (*handlers).insertRepayment},
}

// otherMethods are answered 405 on every interface path that does not take
// them, with the façade's HTML error instead of the router's JSON one.
var otherMethods = []string{
	http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodHead, http.MethodOptions,
}

// Mount adds every interface to r under both Prefixes.
func Mount(r *gin.Engine, svc *service.Service, o Options) {
	o = o.withDefaults()
	h := &handlers{svc: svc, opts: o, log: o.Logger}
	for _, prefix := range Prefixes {
		for _, ep := range endpoints {
			ep := ep
			path := prefix + ep.Path
			r.Handle(ep.Method, path, func(c *gin.Context) { h.serve(c, ep) })
			for _, m := range otherMethods {
				if m != ep.Method {
					r.Handle(m, path, func(c *gin.Context) { h.methodNotAllowed(c, ep.Method) })
				}
			}
		}
	}
}

// handlers serves the façade.
type handlers struct {
	svc  *service.Service
	opts Options
	log  *slog.Logger
}

func (h *handlers) methodNotAllowed(c *gin.Context, allowed string) {
	c.Header("Allow", allowed)
	h.writeError(c, http.StatusMethodNotAllowed, "This interface takes "+allowed+" requests, not "+strings.ToUpper(c.Request.Method)+".", nil)
}
