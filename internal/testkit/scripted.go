package testkit

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/servicing"
	"github.com/loanflow/loanflow/workflows"
)

// UpdateCall is one Update a ScriptedEngine received.
type UpdateCall struct {
	Ref      int64
	Name, ID string
	Arg      any
}

// ScriptedEngine knows no rule of the workflow: it records what the service
// asks and answers what the test scripted, for the transport tests that
// check a request's mapping onto the workflow and every kind of answer,
// outages included. Rules are tested against the real workflow (Engine).
type ScriptedEngine struct {
	Store *models.Store

	mu      sync.Mutex
	starts  []*workflows.LoanInput
	updates []UpdateCall
	// StartErr, UpdateErr and ReadyErr, when set, answer every call.
	StartErr, UpdateErr, ReadyErr error
	// NextStatus, when set, is what an Update answers and leaves in the
	// database, as the workflow's activity would.
	NextStatus lending.Status
	// Julo is what the status Query answers of a JULO loan's onboarding.
	Julo *workflows.JuloView
	// Quote is what the payoff Query answers; PayoffErr, when set, answers
	// it instead.
	Quote     *servicing.Quote
	PayoffErr error
	// ImportErr, when set, answers every ImportExternalLoans.
	ImportErr error
	imports   []string
	kicks     []uint
}

// KickWebhooks implements gateway.Engine: it records the partner.
func (f *ScriptedEngine) KickWebhooks(_ context.Context, partnerID uint) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.kicks = append(f.kicks, partnerID)
	return nil
}

// Kicks are the partners whose webhooks were kicked, in order.
func (f *ScriptedEngine) Kicks() []uint {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]uint(nil), f.kicks...)
}

// ImportExternalLoans implements gateway.Engine: it records the import's ID.
func (f *ScriptedEngine) ImportExternalLoans(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ImportErr != nil {
		return f.ImportErr
	}
	f.imports = append(f.imports, id)
	return nil
}

// Imports are the IDs of the imports started, in order.
func (f *ScriptedEngine) Imports() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.imports...)
}

// StartLoan implements gateway.Engine.
func (f *ScriptedEngine) StartLoan(_ context.Context, in *workflows.LoanInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.starts = append(f.starts, in)
	return f.StartErr
}

// Update implements gateway.Engine.
func (f *ScriptedEngine) Update(ctx context.Context, ref int64, name, updateID string, arg any) (*workflows.LoanView, error) {
	f.mu.Lock()
	f.updates = append(f.updates, UpdateCall{Ref: ref, Name: name, ID: updateID, Arg: arg})
	err, next := f.UpdateErr, f.NextStatus
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if next != "" {
		if err := f.Store.DB.WithContext(ctx).Model(&models.Loan{}).Where("ref = ?", ref).Update("status", next).Error; err != nil {
			return nil, err
		}
	}
	return &workflows.LoanView{Ref: ref, Status: next}, nil
}

// Query implements gateway.Engine: the stored status.
func (f *ScriptedEngine) Query(_ context.Context, ref int64) (*workflows.LoanView, error) {
	var l models.Loan
	if err := f.Store.DB.Where("ref = ?", ref).Take(&l).Error; err != nil {
		return nil, failure.NotFound("no workflow for this loan")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return &workflows.LoanView{Ref: ref, Status: l.Status, Julo: f.Julo}, nil
}

// Payoff implements gateway.Engine: the scripted quote, dated asOf.
func (f *ScriptedEngine) Payoff(_ context.Context, _ int64, asOf time.Time) (*servicing.Quote, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.PayoffErr != nil {
		return nil, f.PayoffErr
	}
	if f.Quote == nil {
		return nil, failure.Conflict("the loan has not been paid out")
	}
	q := *f.Quote
	q.AsOf = asOf
	return &q, nil
}

// Product implements gateway.Engine: the product the loan was started with.
func (f *ScriptedEngine) Product(_ context.Context, ref int64) (*lending.Product, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, in := range slices.Backward(f.starts) {
		if in.Ref == ref {
			return &in.Product, nil
		}
	}
	return nil, failure.NotFound("no workflow for this loan")
}

// Ready implements gateway.Engine.
func (f *ScriptedEngine) Ready(context.Context) error { return f.ReadyErr }

// Starts are the workflows started, in order.
func (f *ScriptedEngine) Starts() []*workflows.LoanInput {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*workflows.LoanInput(nil), f.starts...)
}

// Updates are the Updates received, in order.
func (f *ScriptedEngine) Updates() []UpdateCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]UpdateCall(nil), f.updates...)
}

// LastUpdate is the latest Update; the test fails when there is none.
func (f *ScriptedEngine) LastUpdate(t testing.TB) UpdateCall {
	t.Helper()
	u := f.Updates()
	require.NotEmpty(t, u, "no Update received")
	return u[len(u)-1]
}
