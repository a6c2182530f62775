package models

import (
	"context"
	"fmt"
	"time"

	"github.com/loanflow/loanflow/lending"
	"gorm.io/gorm/clause"
)

// SetProviderLoanIDs records the ledger's and the lender's ids of a loan;
// an empty argument leaves that id as it is.
func (s *Store) SetProviderLoanIDs(ctx context.Context, ref int64, ledgerLoanID, lenderLoanID string) error {
	updates := map[string]any{}
	if ledgerLoanID != "" {
		updates["ledger_loan_id"] = ledgerLoanID
	}
	if lenderLoanID != "" {
		updates["lender_loan_id"] = lenderLoanID
	}
	if len(updates) == 0 {
		return nil
	}
	return writeErr("set provider loan ids", updateLoan(s.db(ctx), ref, updates))
}

// SetProviderError records the refusal a provider gave for a loan.
func (s *Store) SetProviderError(ctx context.Context, ref int64, message string) error {
	return writeErr("set provider error", updateLoan(s.db(ctx), ref, map[string]any{"provider_error": message}))
}

// SetProviderWaiting notes why a provider step of the loan waits for the
// operator, or clears the note (message ""). Clearing a loan with no note
// writes nothing.
func (s *Store) SetProviderWaiting(ctx context.Context, ref int64, message string) error {
	q := s.db(ctx).Model(&Loan{}).Where("ref = ?", ref)
	if message == "" {
		q = q.Where("provider_waiting <> ''")
	}
	return writeErr("set provider waiting", q.Updates(map[string]any{"provider_waiting": message, "updated_at": time.Now().UTC()}).Error)
}

// Attention returns one page of the loans a provider refused or keeps
// waiting (Loan.ProviderError, Loan.ProviderWaiting), oldest ref first, and
// how many there are; the ix_loans_attention partial index holds exactly
// them.
func (s *Store) Attention(ctx context.Context, limit, offset int) ([]Loan, int64, error) {
	q := s.db(ctx).Model(&Loan{}).Where("provider_error <> '' OR provider_waiting <> ''")
	return loanQueue(q, "loans needing attention", "ref ASC", limit, offset)
}

// AddFindings stores reconciliation findings; a finding already recorded
// for the same loan, provider, installment and field is kept as it was, so
// re-running a reconciliation adds nothing.
func (s *Store) AddFindings(ctx context.Context, findings []ReconciliationFinding) (int, error) {
	if len(findings) == 0 {
		return 0, nil
	}
	rows := make([]ReconciliationFinding, len(findings))
	copy(rows, findings)
	for i := range rows {
		rows[i].ID = 0
	}
	res := s.db(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "loan_ref"}, {Name: "provider"}, {Name: "installment_number"}, {Name: "field"}},
		DoNothing: true,
	}).Create(&rows)
	if res.Error != nil {
		return 0, missingLoan(findings[0].LoanRef, fmt.Errorf("models: add findings: %w", res.Error))
	}
	return int(res.RowsAffected), nil
}

// Findings lists a loan's reconciliation findings by installment.
func (s *Store) Findings(ctx context.Context, ref int64) ([]ReconciliationFinding, error) {
	var out []ReconciliationFinding
	err := s.db(ctx).Where("loan_ref = ?", ref).Order("installment_number, field").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: findings of %d: %w", ref, err)
	}
	return out, nil
}

// LoanByLenderLoanID finds our loan that a lender knows by id.
func (s *Store) LoanByLenderLoanID(ctx context.Context, lender lending.Lender, id string) (*Loan, error) {
	return takeOne[Loan](s.db(ctx), "loan by lender loan id", "lender = ? AND lender_loan_id = ?", lender, id)
}
