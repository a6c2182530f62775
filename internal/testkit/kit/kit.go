// Package kit puts the test kit together with a service.Service: one test's
// loanflow below the front ends, and helpers that drive loans through the
// real workflow.
package kit

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/auth"
	"github.com/loanflow/loanflow/internal/gateway"
	"github.com/loanflow/loanflow/internal/ratelimit"
	"github.com/loanflow/loanflow/internal/testclock"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// ApprovalTTL is the approval SLA of a Kit's service.
const ApprovalTTL = 48 * time.Hour

// Kit is one test's loanflow below the front ends: its own database, the
// clock, an engine and the service over them.
type Kit struct {
	T       testing.TB
	Store   *models.Store
	Clock   *testkit.Clock
	Engine  gateway.Engine
	Service *service.Service
	Logger  *slog.Logger

	submissions int // keys Submit's idempotency keys
}

// Option changes a Kit's defaults.
type Option func(*config)

type config struct {
	start       time.Time
	approvalTTL time.Duration
	checks      *testkit.PasswordChecks
	ledgers     lending.LedgerProducts
	limit       ratelimit.Limit
}

// StartAt starts the clock, and the workflow's, at t instead of
// testkit.Start.
func StartAt(t time.Time) Option { return func(c *config) { c.start = t } }

// WithApprovalTTL sets the service's approval SLA (default ApprovalTTL).
func WithApprovalTTL(d time.Duration) Option { return func(c *config) { c.approvalTTL = d } }

// WithPartnerLimit sets the service's default partner request limit
// (default: none, so tests may call as often as they like).
func WithPartnerLimit(l ratelimit.Limit) Option { return func(c *config) { c.limit = l } }

// WithPasswordChecks makes the service compare passwords through checks,
// so a test counts or holds the comparisons.
func WithPasswordChecks(checks *testkit.PasswordChecks) Option {
	return func(c *config) { c.checks = checks }
}

// LedgerProducts are the deployment's default ledger products in a Kit's
// service, as `loanflow dev` has them from its simulators: the seeded
// products booked in a ledger name none of their own.
var LedgerProducts = lending.LedgerProducts{FineractProductID: 1, MambuProductKey: "8a19b7057471f4af017472dc0fd80001"}

// WithLedgerProducts sets the service's default ledger products (default
// LedgerProducts); the zero value leaves every product to name its own.
func WithLedgerProducts(p lending.LedgerProducts) Option { return func(c *config) { c.ledgers = p } }

// New is a Kit whose service runs the real workflow (testkit.Engine).
func New(t testing.TB, opts ...Option) *Kit {
	t.Helper()
	c := options(opts)
	store := testkit.Store(t)
	return newKit(t, store, testkit.NewEngine(t, store, c.start), c)
}

// NewScripted is a Kit whose service talks to a testkit.ScriptedEngine.
func NewScripted(t testing.TB, opts ...Option) (*Kit, *testkit.ScriptedEngine) {
	t.Helper()
	store := testkit.Store(t)
	eng := &testkit.ScriptedEngine{Store: store}
	return newKit(t, store, eng, options(opts)), eng
}

func options(opts []Option) config {
	c := config{start: testkit.Start, approvalTTL: ApprovalTTL, ledgers: LedgerProducts}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func newKit(t testing.TB, store *models.Store, eng gateway.Engine, c config) *Kit {
	k := &Kit{T: t, Store: store, Clock: testclock.New(c.start), Engine: eng, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var authn *auth.Authenticator
	if c.checks != nil {
		authn = auth.New(store, auth.Options{Now: k.Clock.Now, CheckPassword: c.checks.Check})
	}
	k.Service = service.New(service.Deps{Store: store, Engine: eng, Now: k.Clock.Now, ApprovalTTL: c.approvalTTL, Logger: k.Logger, Auth: authn,
		LedgerProducts: c.ledgers, PartnerLimit: c.limit})
	return k
}

// Partner is a seeded partner account.
func (k *Kit) Partner(c testkit.Creds) *models.Partner {
	k.T.Helper()
	p, err := k.Store.PartnerByUsername(context.Background(), c.User)
	require.NoError(k.T, err)
	return p
}

// Staff is a seeded staff account.
func (k *Kit) Staff(c testkit.Creds) *models.Staff {
	k.T.Helper()
	st, err := k.Store.StaffByUsername(context.Background(), c.User)
	require.NoError(k.T, err)
	return st
}

// Loan reads a loan as stored.
func (k *Kit) Loan(ref int64) *models.Loan {
	k.T.Helper()
	l, err := k.Store.GetLoan(context.Background(), ref)
	require.NoError(k.T, err)
	return l
}

// Application is an application the auto-reject rules pass, for amount
// over six months under the demo product.
func Application(amount string) service.LoanApplication {
	return service.LoanApplication{
		ProductCode: "consumer", Amount: decimal.RequireFromString(amount), TermMonths: 6,
		SubmittedBy: "Mike", Office: "Main office",
		Applicant: models.Applicant{
			IdentityNumber: "I12356789T", FirstName: "John", LastName: "Smith", Patronymic: "James",
			BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), DocumentSerial: "200000907",
			MobilePhone: "0123456789", HomePhone: "012345678", AltContactName: "June", AltContactRel: "sister",
			AltContactPhone: "0987654321", Town: "Chisinau", Street: "Long street", House: "11",
		},
	}
}

// Submit files app for partner demo; the workflow screens it at once.
func (k *Kit) Submit(app service.LoanApplication) *models.Loan {
	k.T.Helper()
	ctx := context.Background()
	p := k.Partner(testkit.Demo)
	k.submissions++
	l, _, err := k.Service.SubmitLoan(ctx, p, fmt.Sprintf("kit-%d", k.submissions), app)
	require.NoError(k.T, err)
	return k.Loan(l.Ref)
}

// Advance moves the clock and the workflows' clock on by d: due dates pass,
// loans fall into arrears and draw penalties as they would in d's time.
// Only a Kit of New can.
func (k *Kit) Advance(d time.Duration) {
	k.T.Helper()
	eng, ok := k.Engine.(*testkit.Engine)
	require.True(k.T, ok, "only the real workflow's clock can move")
	require.NoError(k.T, eng.Advance(context.Background(), d))
	k.Clock.Advance(d)
}

// LoanIn is a loan of partner demo for amount, taken through the real
// workflow to status: approved by the underwriters (both, above the
// four-eyes threshold), its documents uploaded, its cash release authorized
// by operations, paid out today. SUBMITTED, APPROVED, REJECTED, CANCELLED,
// DOCUMENTS_SUBMITTED, CASH_RELEASE_AUTHORIZED and ACTIVE can be had; the
// others need the workflow's clock to move (Advance). Its applicant is always the
// same person, who may hold two open loans of the product: for more, Submit
// applications with identity numbers of their own.
func (k *Kit) LoanIn(status lending.Status, amount string) *models.Loan {
	k.T.Helper()
	return k.Take(k.Submit(Application(amount)), status)
}

// Take walks a SUBMITTED loan of partner demo to status as LoanIn does, so
// a test can choose its application (an applicant of its own, another
// product).
func (k *Kit) Take(l *models.Loan, status lending.Status) *models.Loan {
	k.T.Helper()
	ctx := context.Background()
	demo := k.Partner(testkit.Demo)
	step := func(to lending.Status, do func() (service.Outcome, error)) bool {
		k.T.Helper()
		got, err := do()
		require.NoError(k.T, err, "take loan %d to %s", l.Ref, to)
		l = got.Loan
		return l.Status == status
	}
	switch status {
	case lending.StatusSubmitted:
		return l
	case lending.StatusRejected:
		step(status, func() (service.Outcome, error) {
			return k.Service.Reject(ctx, k.Staff(testkit.Underwriter), l.Ref, "not for us", "")
		})
		return l
	case lending.StatusCancelled:
		step(status, func() (service.Outcome, error) { return k.Service.Cancel(ctx, demo, l.Ref, "changed their mind", "") })
		return l
	}
	for _, uw := range []testkit.Creds{testkit.Underwriter, testkit.Underwriter2} {
		if l.Status == lending.StatusApproved {
			break
		}
		step(lending.StatusApproved, func() (service.Outcome, error) { return k.Service.Approve(ctx, k.Staff(uw), l.Ref, "") })
	}
	if l.Status == status {
		return l
	}
	for _, kind := range lending.RequiredDocuments {
		_, out, err := k.Service.UploadDocument(ctx, demo, l.Ref, service.DocumentUpload{Kind: kind, Filename: string(kind) + ".pdf", Data: testkit.PDF()}, "")
		require.NoError(k.T, err)
		l = out.Loan
	}
	if l.Status == status {
		return l
	}
	if step(lending.StatusCashReleaseAuthorized, func() (service.Outcome, error) {
		return k.Service.AuthorizeCashRelease(ctx, k.Staff(testkit.Operations), l.Ref, "")
	}) {
		return l
	}
	if step(lending.StatusActive, func() (service.Outcome, error) { return k.Service.ConfirmDisbursement(ctx, demo, l.Ref, nil, "") }) {
		return l
	}
	k.T.Fatalf("testkit cannot take a loan to %s", status)
	return nil
}
