package models

import (
	"context"
	"fmt"
	"time"

	"github.com/loanflow/loanflow/lending"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// terminalStatuses are those of loans that no longer count against the
// applicant's open-loan limit.
var terminalStatuses = func() []lending.Status {
	var out []lending.Status
	for _, s := range lending.Statuses {
		if s.Terminal() {
			out = append(out, s)
		}
	}
	return out
}()

// List paging bounds.
const (
	DefaultListLimit = 50
	MaxListLimit     = 200
)

// LoanFilter selects loans for ListLoans. Zero fields do not filter.
type LoanFilter struct {
	PartnerID   *uint
	Statuses    []lending.Status
	ProductCode string
	// CreatedFrom is inclusive, CreatedTo exclusive.
	CreatedFrom, CreatedTo *time.Time
	// MinAmount and MaxAmount are inclusive.
	MinAmount, MaxAmount *decimal.Decimal
	// Limit defaults to DefaultListLimit and is capped at MaxListLimit.
	Limit, Offset int
	// OldestFirst flips the default newest-first order.
	OldestFirst bool
}

// NextLoanRef allocates a loan reference: 90000, 90001, … Refs are never
// reused, also when the loan that took one is never created.
func (s *Store) NextLoanRef(ctx context.Context) (int64, error) {
	var ref int64
	var err error
	if s.dialect == DialectPostgres {
		err = s.db(ctx).Raw("SELECT nextval('loan_ref_seq')").Row().Scan(&ref)
	} else {
		err = s.db(ctx).Raw("UPDATE loan_ref_counter SET next_value = next_value + 1 WHERE id = 1 RETURNING next_value - 1").Row().Scan(&ref)
	}
	if err != nil {
		return 0, fmt.Errorf("models: next loan ref: %w", err)
	}
	return ref, nil
}

// CreateLoan inserts a loan. A zero Ref is allocated with NextLoanRef. A
// duplicate ref or a partner's reused idempotency key is ErrConflict.
func (s *Store) CreateLoan(ctx context.Context, l *Loan) error {
	if l.Ref == 0 {
		ref, err := s.NextLoanRef(ctx)
		if err != nil {
			return err
		}
		l.Ref = ref
	}
	return writeErr("create loan", s.db(ctx).Create(l).Error)
}

// GetLoan reads a loan by ref.
func (s *Store) GetLoan(ctx context.Context, ref int64) (*Loan, error) {
	return takeOne[Loan](s.db(ctx), "get loan", "ref = ?", ref)
}

// GetPartnerLoan reads a loan of one partner; another partner's loan is
// ErrNotFound, so a partner cannot learn that a ref exists.
func (s *Store) GetPartnerLoan(ctx context.Context, partnerID uint, ref int64) (*Loan, error) {
	return takeOne[Loan](s.db(ctx), "get partner loan", "ref = ? AND partner_id = ?", ref, partnerID)
}

// FindLoanByIdempotencyKey finds the loan a partner created with key. An
// empty key matches nothing.
func (s *Store) FindLoanByIdempotencyKey(ctx context.Context, partnerID uint, key string) (*Loan, error) {
	if key == "" {
		return nil, fmt.Errorf("models: find loan by idempotency key: %w", ErrNotFound)
	}
	// The redundant idempotency_key <> '' is the partial unique index's own
	// predicate: a planner that cannot see the bound key (SQLite, which plans
	// before binding, and PostgreSQL once a prepared statement goes generic)
	// cannot otherwise prove the index covers the row, and scans the
	// partner's loans (TestIdempotencyLookupUsesItsIndex,
	// BenchmarkIdempotencyLookup).
	return takeOne[Loan](s.db(ctx), "find loan by idempotency key", "partner_id = ? AND idempotency_key = ? AND idempotency_key <> ''", partnerID, key)
}

// ListLoans returns one page of the loans matching f and the number of
// matching loans over all pages. Order is by creation time (then ref),
// newest first unless f.OldestFirst.
func (s *Store) ListLoans(ctx context.Context, f LoanFilter) ([]Loan, int64, error) {
	q := s.db(ctx).Model(&Loan{})
	if f.PartnerID != nil {
		q = q.Where("partner_id = ?", *f.PartnerID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if f.ProductCode != "" {
		q = q.Where("product_code = ?", f.ProductCode)
	}
	if f.CreatedFrom != nil {
		q = q.Where("created_at >= ?", f.CreatedFrom.UTC())
	}
	if f.CreatedTo != nil {
		q = q.Where("created_at < ?", f.CreatedTo.UTC())
	}
	if f.MinAmount != nil {
		q = q.Where(s.amountCompare(">="), f.MinAmount.String())
	}
	if f.MaxAmount != nil {
		q = q.Where(s.amountCompare("<="), f.MaxAmount.String())
	}
	return page[Loan](q, "loans", timeOrder("created_at", "ref", f.OldestFirst), f.Limit, f.Offset)
}

// amountCompare compares the amount column numerically. SQLite keeps the
// amount as text, which would compare as a string; the filter compares
// both sides as REAL instead (storage stays exact text, and equal decimals
// convert to equal doubles, so inclusive bounds hold).
func (s *Store) amountCompare(op string) string {
	if s.dialect == DialectPostgres {
		return "amount " + op + " CAST(? AS numeric)"
	}
	return "CAST(amount AS REAL) " + op + " CAST(? AS REAL)"
}

// CountOpenLoans counts the loans of an applicant (by identity number) for
// a product (any product when productCode is empty) that are open: not in
// a closed status. excludeRef (0 for none) is left out of the count, so a
// loan can be checked against its siblings.
func (s *Store) CountOpenLoans(ctx context.Context, identityNumber, productCode string, excludeRef int64) (int64, error) {
	q := s.db(ctx).Model(&Loan{}).
		Where("applicant_identity_number = ?", identityNumber).
		Where("status NOT IN ?", terminalStatuses).
		Where("ref <> ?", excludeRef)
	if productCode != "" {
		q = q.Where("product_code = ?", productCode)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("models: count open loans: %w", err)
	}
	return n, nil
}

// updateLoan applies updates to one loan inside tx; a missing loan is
// ErrNotFound.
func updateLoan(tx *gorm.DB, ref int64, updates map[string]any) error {
	res := tx.Model(&Loan{}).Where("ref = ?", ref).Updates(updates)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("loan %d: %w", ref, ErrNotFound)
	}
	return nil
}

// OrphanLoans lists up to limit SUBMITTED loans created before before whose
// workflow has recorded nothing yet (no audit event): a crash came between
// the loan's insert and its workflow's start, or the workflow has not run.
func (s *Store) OrphanLoans(ctx context.Context, before time.Time, limit int) ([]Loan, error) {
	var out []Loan
	err := s.db(ctx).
		Where("status = ? AND created_at < ?", lending.StatusSubmitted, before).
		Where("NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.loan_ref = loans.ref)").
		Order("created_at").Limit(limit).Find(&out).Error
	return out, readErr("list orphan loans", err)
}
