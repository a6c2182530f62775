// Package service holds loanflow's use cases, shared by every front end:
// quote, submit, decide, upload, release, repay, read. The partner and
// back-office JSON APIs (api), the Iute-compatible façade and the console
// are thin adapters over it. It reads loans from the database (models) and
// changes them only through the loan's workflow (gateway), which owns every
// state transition; rules that must answer the same everywhere (four eyes,
// segregation of duties, login throttling) live here or in the workflow.
package service

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/auth"
	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/gateway"
	"github.com/loanflow/loanflow/internal/ratelimit"
	"github.com/loanflow/loanflow/internal/schedulecmd"
	"github.com/loanflow/loanflow/internal/webhook"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/schedule"
)

// defaultApprovalTTL is LOANFLOW_APPROVAL_TTL's default (issue 2).
const defaultApprovalTTL = 7 * 24 * time.Hour

// Deps are what the Service needs. Now and Logger are optional (time.Now,
// slog.Default); ApprovalTTL defaults to seven days; Auth defaults to the
// credential checks of Store on the Service's clock.
type Deps struct {
	Store       *models.Store
	Engine      gateway.Engine
	Now         func() time.Time
	ApprovalTTL time.Duration
	Logger      *slog.Logger
	Auth        *auth.Authenticator
	// SecretKey keys the hashes that stand in for secrets where Temporal
	// shows them in clear, such as a one-time code in its Update ID. Every
	// process of a deployment needs the same key, so that a retry reaching
	// another replica maps to the same ID; nil draws a key for this process.
	SecretKey []byte
	// LedgerProducts are the deployment's default ledger products, which
	// a product booked in a ledger may leave to them.
	LedgerProducts lending.LedgerProducts
	// PartnerLimit is the request limit of a partner without its own
	// (LOANFLOW_PARTNER_RATE, LOANFLOW_PARTNER_BURST); the zero value
	// limits only partners given their own.
	PartnerLimit ratelimit.Limit
	// Webhooks seals the partners' signing secrets and checks their URLs.
	Webhooks WebhookDeps
}

// Service is what loanflow can do, free of any transport: the partner API,
// the back office, the Iute-compatible façade and the console decode their
// input into its arguments and encode its results, so a rule answers the
// same on every front end. Methods return *failure.Error; anything else is
// an outage (see failure.KindOf).
type Service struct {
	store       *models.Store
	engine      gateway.Engine
	auth        *auth.Authenticator
	now         func() time.Time
	approvalTTL time.Duration
	log         *slog.Logger
	secretKey   []byte
	// ledgerProducts: Deps.LedgerProducts.
	ledgerProducts lending.LedgerProducts
	limits         *ratelimit.Buckets
	webhooks       WebhookDeps

	// decimals caches each product's currency scale for formatting; it
	// never changes for a product that has loans.
	decimals sync.Map // product code -> int32
}

// New builds the Service, filling in defaults for the optional Deps.
func New(d Deps) *Service {
	s := &Service{store: d.Store, engine: d.Engine, auth: d.Auth, now: d.Now, approvalTTL: d.ApprovalTTL, log: d.Logger, secretKey: d.SecretKey,
		ledgerProducts: d.LedgerProducts}
	if s.secretKey == nil {
		s.secretKey = make([]byte, 32)
		_, _ = rand.Read(s.secretKey) // never fails (Go ≥ 1.24)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.limits = ratelimit.New(d.PartnerLimit, s.now)
	s.webhooks = d.Webhooks
	if s.webhooks.Secrets == nil {
		s.webhooks.Secrets = webhook.NewProcessSecrets()
	}
	if s.auth == nil {
		s.auth = auth.New(d.Store, auth.Options{Now: s.now})
	}
	if s.approvalTTL <= 0 {
		s.approvalTTL = defaultApprovalTTL
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// Now is the Service's clock, so a front end measures time (retry windows,
// sessions) on the clock the Service stamps loans with.
func (s *Service) Now() time.Time { return s.now() }

// Logger is where the Service and its front ends log.
func (s *Service) Logger() *slog.Logger { return s.log }

// AuthenticatePartner checks a partner's credentials, sent from address ip.
func (s *Service) AuthenticatePartner(ctx context.Context, username, password, ip string) (*models.Partner, error) {
	return s.auth.Partner(ctx, username, password, ip)
}

// AdmitPartner takes one request of the authenticated partner p from its
// token bucket, shared by every partner front end. Its limit is read from
// p, the account as authentication just read it, so an admin's change
// applies from the partner's next request. A refused request must do no
// work: the caller answers 429 at once.
func (s *Service) AdmitPartner(p *models.Partner) ratelimit.Decision {
	return s.limits.Take(p.ID, partnerLimit(p))
}

// DefaultPartnerLimit is the limit of a partner without its own.
func (s *Service) DefaultPartnerLimit() ratelimit.Limit { return s.limits.Default() }

func partnerLimit(p *models.Partner) ratelimit.Limit {
	return ratelimit.Limit{Rate: p.RatePerSecond, Burst: p.RateBurst}
}

// AuthenticateStaff checks a staff member's credentials, sent from address
// ip.
func (s *Service) AuthenticateStaff(ctx context.Context, username, password, ip string) (*models.Staff, error) {
	return s.auth.Staff(ctx, username, password, ip)
}

// SignInStaff checks a back-office user's sign-in to the console from
// address ip (auth.Authenticator.SignIn).
func (s *Service) SignInStaff(ctx context.Context, username, password, ip string) (*models.Staff, error) {
	return s.auth.SignIn(ctx, username, password, ip)
}

// today is the current calendar day: the date quotes are computed as of.
func (s *Service) today() time.Time { return lending.Day(s.now()) }

// Ready checks the database and the engine, returning the name of the first
// failing check ("database" or "temporal") with its error.
func (s *Service) Ready(ctx context.Context) (string, error) {
	if err := s.store.Ping(ctx); err != nil {
		return "database", err
	}
	switch pending, err := s.store.PendingMigrations(ctx); {
	case err != nil:
		return "database", err
	case len(pending) > 0:
		return "database", &failure.Error{Kind: failure.KindUnavailable, Detail: fmt.Sprintf(
			"schema not migrated: migration %04d_%s and %d more missing; run loanflow migrate",
			pending[0].Version, pending[0].Name, len(pending)-1)}
	}
	if err := s.engine.Ready(ctx); err != nil {
		return "temporal", err
	}
	return "", nil
}

// product resolves code, or the partner's default product when code is
// empty. Unknown or inactive products are a field error on product_code.
func (s *Service) product(ctx context.Context, p *models.Partner, code string, errs *failure.FieldErrors) (*models.Product, error) {
	explicit := code != ""
	if !explicit {
		code = p.DefaultProductCode
	}
	prod, err := s.store.CachedProduct(ctx, code)
	switch {
	case errors.Is(err, models.ErrNotFound) || (err == nil && !prod.Active):
		if explicit {
			errs.Add("product_code", "unknown product %q", code)
		} else {
			errs.Add("product_code", "required: the partner has no default product")
		}
		return nil, nil
	case err != nil:
		return nil, failure.Unavailable(err)
	}
	s.decimals.Store(prod.Code, prod.CurrencyDecimals)
	return prod, nil
}

// CurrencyDecimals is the scale money of the given product is shown at; two
// when the product is gone.
func (s *Service) CurrencyDecimals(ctx context.Context, productCode string) int32 {
	if v, ok := s.decimals.Load(productCode); ok {
		return v.(int32)
	}
	prod, err := s.store.GetProduct(ctx, productCode)
	if err != nil {
		return 2
	}
	s.decimals.Store(prod.Code, prod.CurrencyDecimals)
	return prod.CurrencyDecimals
}

// checkMoney flags an amount that is not positive or has more decimal places
// than the currency has (prod may be nil when it could not be resolved).
func checkMoney(field string, amount decimal.Decimal, prod *models.Product, errs *failure.FieldErrors) {
	if errs.Has(field) {
		return
	}
	if !amount.IsPositive() {
		errs.Add(field, "must be a positive amount")
		return
	}
	if prod != nil && !amount.Equal(amount.Truncate(prod.CurrencyDecimals)) {
		errs.Add(field, "must have at most %d decimal places", prod.CurrencyDecimals)
	}
}

// QuoteRequest asks what a loan would cost.
type QuoteRequest struct {
	ProductCode string // empty: the partner's default product
	Amount      decimal.Decimal
	TermMonths  int
	// DecodeErrors are the fields the transport could not decode; they are
	// reported together with the Service's own checks.
	DecodeErrors failure.FieldErrors
}

// Quote is a loan's cost if it were paid out today.
type Quote struct {
	Product            *models.Product
	Schedule           *schedule.Schedule
	InstallmentAmount  decimal.Decimal
	FirstRepaymentDate time.Time
}

// Quote prices a loan. Unlike a submission, a quote outside the product's
// ranges is refused: there is no workflow to reject it later.
func (s *Service) Quote(ctx context.Context, p *models.Partner, q QuoteRequest) (*Quote, error) {
	errs := append(failure.FieldErrors(nil), q.DecodeErrors...)
	prod, err := s.product(ctx, p, q.ProductCode, &errs)
	if err != nil {
		return nil, err
	}
	checkMoney("amount", q.Amount, prod, &errs)
	if !errs.Has("term_months") && q.TermMonths <= 0 {
		errs.Add("term_months", "must be a positive integer")
	}
	var terms lending.Product
	if prod != nil {
		terms = prod.Snapshot()
		if !errs.Has("amount") && (q.Amount.LessThan(prod.MinAmount) || q.Amount.GreaterThan(prod.MaxAmount)) {
			errs.Add("amount", "must be between %s and %s", prod.MinAmount.StringFixed(prod.CurrencyDecimals), prod.MaxAmount.StringFixed(prod.CurrencyDecimals))
		}
		if every := terms.RepaymentEvery(); !errs.Has("term_months") && !terms.TermAllowed(q.TermMonths) {
			if every == 1 {
				errs.Add("term_months", "must be between %d and %d", prod.MinTermMonths, prod.MaxTermMonths)
			} else {
				errs.Add("term_months", "must be between %d and %d and a multiple of %d: installments are %d months apart",
					prod.MinTermMonths, prod.MaxTermMonths, every, every)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	sched, err := terms.Quote(q.Amount, q.TermMonths, s.today())
	if err != nil {
		// The ranges above admit only terms the engine accepts; a refusal
		// here is a product misconfiguration, not the caller's fault.
		return nil, failure.Unavailable(err)
	}
	return &Quote{
		Product:            prod,
		Schedule:           sched,
		InstallmentAmount:  terms.InstallmentAmount(sched),
		FirstRepaymentDate: sched.Periods[0].DueDate,
	}, nil
}

// QuoteTerms computes a schedule from full terms in the `loanflow schedule`
// request format, and the currency scale to render it at.
func (s *Service) QuoteTerms(raw []byte) (*schedule.Schedule, int32, error) {
	terms, err := schedulecmd.ParseRequest(raw)
	if err == nil {
		var sched *schedule.Schedule
		if sched, err = schedule.Generate(terms); err == nil {
			return sched, terms.Normalize().Currency.DecimalPlaces, nil
		}
	}
	var ve *schedule.ValidationError
	if errors.As(err, &ve) {
		var errs failure.FieldErrors
		for _, p := range ve.Problems {
			field := p.Field
			if field == "" {
				field = "body"
			}
			errs.Add(field, "%s", p.Message)
		}
		return nil, 0, errs.Err()
	}
	return nil, 0, failure.Invalid("body", "%s", err.Error())
}

func partnerActor(p *models.Partner) lending.Actor { return lending.PartnerActor(p.Username) }

func staffActor(st *models.Staff) lending.Actor { return lending.StaffActor(st.Username) }
