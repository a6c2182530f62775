package console

import (
	"cmp"
	"html/template"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// Defaults of the optional Options.
const (
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultAbsoluteTimeout = 12 * time.Hour
	DefaultApprovalSLA     = 7 * 24 * time.Hour
)

// Options configure the console. Store is required; every other field has
// a default.
type Options struct {
	// Store holds staff, partners, products, sessions and the console audit
	// log. It must be the Store the service.Service reads.
	Store *models.Store
	// TemporalUIURL is the Temporal Web UI's base URL (e.g.
	// "http://localhost:8233"); a loan page links to its workflow there.
	// Empty: no link.
	TemporalUIURL string
	// TemporalNamespace is the loans' namespace; "default" when empty.
	TemporalNamespace string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// ApprovalSLA is how long an application may wait for a decision
	// before its workflow expires it (LOANFLOW_APPROVAL_TTL); the queue shows
	// each application's age against it.
	ApprovalSLA time.Duration
	// IdleTimeout ends a session unused for this long; AbsoluteTimeout ends
	// any session this long after sign-in.
	IdleTimeout, AbsoluteTimeout time.Duration
	// Location is the time zone instants are shown in (UTC when nil).
	Location *time.Location
	// Logger receives outages (slog.Default when nil).
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Store == nil {
		panic("console: Options.Store is required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.TemporalNamespace = cmp.Or(o.TemporalNamespace, "default")
	o.ApprovalSLA = positiveOr(o.ApprovalSLA, DefaultApprovalSLA)
	o.IdleTimeout = positiveOr(o.IdleTimeout, DefaultIdleTimeout)
	o.AbsoluteTimeout = positiveOr(o.AbsoluteTimeout, DefaultAbsoluteTimeout)
	o.Location = cmp.Or(o.Location, time.UTC)
	o.Logger = cmp.Or(o.Logger, slog.Default())
	return o
}

// positiveOr is v, or def when v is not positive: left out, or a setting
// that would make no sense.
func positiveOr[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// console serves the pages over one service.Service.
type console struct {
	o     Options
	svc   *service.Service
	store *models.Store
	log   *slog.Logger
	pages map[string]*template.Template
	// assetVersion busts browser caches of the stylesheet and script when
	// they change.
	assetVersion string
}

// Mount adds the console to r at /backoffice. It panics when o.Store is nil
// or an embedded template does not parse, both programming errors.
func Mount(r *gin.Engine, svc *service.Service, o Options) {
	o = o.withDefaults()
	c := &console{o: o, svc: svc, store: o.Store, log: o.Logger}
	c.pages = c.parsePages()
	c.assetVersion = assetVersion()
	c.routes(r)
}

func (c *console) now() time.Time { return c.o.Now() }
