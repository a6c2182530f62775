package models

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// LoanMoney is a serviced loan's money as the loan row shows it.
type LoanMoney struct {
	Repaid            decimal.Decimal
	TotalRepayable    decimal.Decimal
	PenaltiesDue      decimal.Decimal
	Overpaid          decimal.Decimal
	WrittenOff        decimal.Decimal
	Recovered         decimal.Decimal
	DaysPastDue       int
	DelinquencyBucket string
}

// Servicing is what one servicing step of a paid-out loan changed: the loan's
// money and installments as they now stand (a snapshot, numbered Seq),
// the money that moved, and the transition when the step is one.
type Servicing struct {
	Ref          int64
	Seq          int
	Transition   *Transition
	Money        LoanMoney
	Installments []Installment
	Transactions []Transaction
}

// ApplyServicing writes a servicing step in one database transaction. It
// is idempotent: the transition is keyed by its Seq, the transactions by
// their key, and the snapshot replaces the stored one only when it is newer
// (a late retry of an older step never overwrites a newer one).
func (s *Store) ApplyServicing(ctx context.Context, sv Servicing) error {
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		if sv.Transition != nil {
			if _, err := applyTransition(tx, *sv.Transition, nil); err != nil {
				return err
			}
		}
		for _, t := range sv.Transactions {
			t.ID, t.LoanRef = 0, sv.Ref
			if err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "loan_ref"}, {Name: "idempotency_key"}},
				DoNothing: true,
			}).Create(&t).Error; err != nil {
				return missingLoan(sv.Ref, fmt.Errorf("insert transaction: %w", err))
			}
		}
		m := sv.Money
		res := tx.Model(&Loan{}).Where("ref = ? AND servicing_seq < ?", sv.Ref, sv.Seq).Updates(map[string]any{
			"repaid": m.Repaid, "total_repayable": m.TotalRepayable, "penalties_due": m.PenaltiesDue,
			"overpaid": m.Overpaid, "written_off": m.WrittenOff, "recovered": m.Recovered,
			"days_past_due": m.DaysPastDue, "delinquency_bucket": m.DelinquencyBucket, "servicing_seq": sv.Seq,
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return nil // a newer snapshot is stored already
		}
		// A shorter schedule (reduce_term) drops installments.
		if err := tx.Where("loan_ref = ? AND number > ?", sv.Ref, len(sv.Installments)).Delete(&Installment{}).Error; err != nil {
			return err
		}
		for _, in := range sv.Installments {
			in.ID, in.LoanRef = 0, sv.Ref
			if err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "loan_ref"}, {Name: "number"}},
				UpdateAll: true,
			}).Create(&in).Error; err != nil {
				return fmt.Errorf("write installment %d: %w", in.Number, err)
			}
		}
		return nil
	})
	return writeErr(fmt.Sprintf("apply servicing %d/%d", sv.Ref, sv.Seq), err)
}
