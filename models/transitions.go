package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/loanflow/loanflow/lending"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Transition is one state change of a loan as the workflow decided it. Seq
// is the workflow's transition counter: (Ref, Seq) identifies the change,
// so a retried activity applies it at most once.
type Transition struct {
	Ref         int64
	Seq         int
	Actor       lending.Actor
	Action      lending.Action
	From, To    lending.Status
	Reason      string
	ReasonCodes []string
	At          time.Time

	// Optional loan fields, written when non-nil.
	ApprovedBy              *string
	CashReleaseAuthorizedBy *lending.Actor
	// RejectDocuments marks the loan's submitted documents rejected.
	RejectDocuments bool
	ClosedOn        *time.Time
	// ProviderError records a provider's refusal on the loan.
	ProviderError *string
	// LenderLoanID links the loan to the lender's application.
	LenderLoanID *string
}

// Activation is the pay-out: the ACTIVE transition plus the schedule, the
// disbursement transaction and the loan's final terms.
type Activation struct {
	Transition         Transition
	Installments       []Installment
	Disbursement       Transaction
	FirstRepaymentDate time.Time
	DisbursedOn        time.Time
	InstallmentAmount  decimal.Decimal
	TotalRepayable     decimal.Decimal
	APR                decimal.Decimal
}

// Repayment records money received: the transaction, each touched
// installment's new Paid total, and the loan's new Repaid total.
type Repayment struct {
	Tx     Transaction
	Paid   map[int]decimal.Decimal // installment number -> new Paid total
	Repaid decimal.Decimal
}

// ApplyTransition writes a transition in one database transaction: the
// audit event, the loan's status, reason and codes, the optional fields,
// and the document rejection. If the event (Ref, Seq) is already recorded
// nothing is written and applied is false.
func (s *Store) ApplyTransition(ctx context.Context, t Transition) (applied bool, err error) {
	err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
		applied, err = applyTransition(tx, t, nil)
		if err != nil || !applied {
			return err
		}
		return emitTransition(tx, t)
	})
	if err != nil {
		return false, writeErr(fmt.Sprintf("apply transition %d/%d", t.Ref, t.Seq), err)
	}
	return applied, nil
}

// ActivateLoan writes the pay-out in one database transaction; like
// ApplyTransition it is a no-op (applied false) when the transition's
// event is already recorded.
func (s *Store) ActivateLoan(ctx context.Context, a Activation) (applied bool, err error) {
	ref := a.Transition.Ref
	err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
		extra := map[string]any{
			"first_repayment_date": a.FirstRepaymentDate,
			"disbursed_on":         a.DisbursedOn,
			"installment_amount":   a.InstallmentAmount,
			"total_repayable":      a.TotalRepayable,
			"apr":                  a.APR,
		}
		applied, err = applyTransition(tx, a.Transition, extra)
		if err != nil || !applied {
			return err
		}
		if len(a.Installments) > 0 {
			rows := make([]Installment, len(a.Installments))
			copy(rows, a.Installments)
			for i := range rows {
				rows[i].ID = 0
				rows[i].LoanRef = ref
			}
			if err := tx.Create(&rows).Error; err != nil {
				return fmt.Errorf("insert installments: %w", err)
			}
		}
		d := a.Disbursement
		d.ID = 0
		d.LoanRef = ref
		if d.Kind == "" {
			d.Kind = lending.TxDisbursement
		}
		if err := tx.Create(&d).Error; err != nil {
			return fmt.Errorf("insert disbursement: %w", err)
		}
		return emitTransition(tx, a.Transition)
	})
	if err != nil {
		return false, writeErr(fmt.Sprintf("activate loan %d", ref), err)
	}
	return applied, nil
}

// emitTransition writes the webhook events of a transition applied in tx.
func emitTransition(tx *gorm.DB, t Transition) error {
	o, err := openOutbox(tx, t.Ref)
	if err != nil {
		return err
	}
	return o.transition(t, transitionTime(tx, t))
}

// transitionTime is when the transition happened, as stored.
func transitionTime(tx *gorm.DB, t Transition) time.Time {
	if t.At.IsZero() {
		return tx.NowFunc()
	}
	return t.At.UTC().Truncate(time.Microsecond)
}

// applyTransition does ApplyTransition's work inside tx, plus extra loan
// column updates.
func applyTransition(tx *gorm.DB, t Transition, extra map[string]any) (bool, error) {
	// PostgreSQL keeps microseconds; cutting makes both dialects store the
	// same instant.
	at := transitionTime(tx, t)
	ev := AuditEvent{
		LoanRef:    t.Ref,
		Seq:        t.Seq,
		Actor:      t.Actor,
		Action:     t.Action,
		FromStatus: t.From,
		ToStatus:   t.To,
		Reason:     t.Reason,
		At:         at,
	}
	res := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "loan_ref"}, {Name: "seq"}},
		DoNothing: true,
	}).Create(&ev)
	if res.Error != nil {
		return false, missingLoan(t.Ref, fmt.Errorf("insert audit event: %w", res.Error))
	}
	if res.RowsAffected == 0 {
		return false, nil
	}

	updates := map[string]any{"status": t.To, "updated_at": at}
	// An event that keeps the status (a first approval of two, an upload)
	// leaves the loan's reason alone: the reason explains the status.
	if t.From != t.To {
		updates["reason"] = t.Reason
		updates["reason_codes"] = strings.Join(t.ReasonCodes, ",")
	}
	if t.ApprovedBy != nil {
		updates["approved_by"] = *t.ApprovedBy
	}
	if t.CashReleaseAuthorizedBy != nil {
		updates["cash_release_authorized_by"] = *t.CashReleaseAuthorizedBy
	}
	if t.ProviderError != nil {
		updates["provider_error"] = *t.ProviderError
	}
	if t.LenderLoanID != nil {
		updates["lender_loan_id"] = *t.LenderLoanID
	}
	if t.ClosedOn != nil {
		updates["closed_on"] = *t.ClosedOn
	}
	for k, v := range extra {
		updates[k] = v
	}
	if err := updateLoan(tx, t.Ref, updates); err != nil {
		return false, err
	}
	if t.RejectDocuments {
		err := tx.Model(&Document{}).
			Where("loan_ref = ? AND status = ?", t.Ref, lending.DocStatusSubmitted).
			Update("status", lending.DocStatusRejected).Error
		if err != nil {
			return false, fmt.Errorf("reject documents: %w", err)
		}
	}
	return true, nil
}

// ApplyRepayment writes a repayment in one database transaction. If the
// loan already has a transaction with the same key nothing is written and
// applied is false.
func (s *Store) ApplyRepayment(ctx context.Context, r Repayment) (applied bool, err error) {
	ref := r.Tx.LoanRef
	err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
		t := r.Tx
		t.ID = 0
		if t.Kind == "" {
			t.Kind = lending.TxRepayment
		}
		res := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "loan_ref"}, {Name: "kind"}, {Name: "idempotency_key"}},
			DoNothing: true,
		}).Create(&t)
		if res.Error != nil {
			return missingLoan(ref, fmt.Errorf("insert transaction: %w", res.Error))
		}
		if res.RowsAffected == 0 {
			return nil
		}
		applied = true
		for number, paid := range r.Paid {
			res := tx.Model(&Installment{}).
				Where("loan_ref = ? AND number = ?", ref, number).
				Update("paid", paid)
			if res.Error != nil {
				return fmt.Errorf("update installment %d: %w", number, res.Error)
			}
			if res.RowsAffected == 0 {
				return fmt.Errorf("installment %d: %w", number, ErrNotFound)
			}
		}
		if err := updateLoan(tx, ref, map[string]any{"repaid": r.Repaid, "updated_at": tx.NowFunc()}); err != nil {
			return err
		}
		o, err := openOutbox(tx, ref)
		if err != nil {
			return err
		}
		return o.payment(t, t.CreatedAt)
	})
	if err != nil {
		return false, writeErr(fmt.Sprintf("apply repayment to loan %d", ref), err)
	}
	return applied, nil
}

// Installments lists a loan's schedule by installment number.
func (s *Store) Installments(ctx context.Context, ref int64) ([]Installment, error) {
	return listRows[Installment](s.db(ctx).Where("loan_ref = ?", ref), "number", "installments")
}

// Transactions lists a loan's money movements in the order recorded.
func (s *Store) Transactions(ctx context.Context, ref int64) ([]Transaction, error) {
	return listRows[Transaction](s.db(ctx).Where("loan_ref = ?", ref), "id", "transactions")
}

// AuditTrail lists a loan's recorded transitions by Seq.
func (s *Store) AuditTrail(ctx context.Context, ref int64) ([]AuditEvent, error) {
	return listRows[AuditEvent](s.db(ctx).Where("loan_ref = ?", ref), "seq", "audit trail")
}
