package models

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/lending"
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
		o, err := openOutbox(tx, sv.Ref)
		if err != nil {
			return err
		}
		// The events are written after the step, so that they tell the
		// loan as the step leaves it.
		news, err := applyServicing(tx, o, sv)
		if err != nil {
			return err
		}
		return news.write(tx, o)
	})
	return writeErr(fmt.Sprintf("apply servicing %d/%d", sv.Ref, sv.Seq), err)
}

// servicingNews is what a servicing step applied that partners hear of.
type servicingNews struct {
	transition *Transition
	payments   []Transaction
	// delinquency before the step, when the partner wants loan.overdue
	// and the step's snapshot is the newest.
	before *LoanMoney
	after  LoanMoney
}

// write writes the step's webhook events: the money first, then what it
// did to the loan (a repayment, then the loan it closed).
func (n servicingNews) write(tx *gorm.DB, o *outbox) error {
	for _, p := range n.payments {
		if err := o.payment(p, p.CreatedAt); err != nil {
			return err
		}
	}
	if n.before != nil {
		if err := o.delinquency(*n.before, n.after, tx.NowFunc()); err != nil {
			return err
		}
	}
	if n.transition != nil {
		return o.transition(*n.transition, transitionTime(tx, *n.transition))
	}
	return nil
}

// applyServicing does ApplyServicing's writes inside tx and answers what
// partners are to hear of them.
func applyServicing(tx *gorm.DB, o *outbox, sv Servicing) (news servicingNews, err error) {
	if sv.Transition != nil {
		applied, err := applyTransition(tx, *sv.Transition, nil)
		if err != nil {
			return news, err
		}
		if applied {
			news.transition = sv.Transition
		}
	}
	for _, t := range sv.Transactions {
		t.ID, t.LoanRef = 0, sv.Ref
		res := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "loan_ref"}, {Name: "kind"}, {Name: "idempotency_key"}},
			DoNothing: true,
		}).Create(&t)
		if res.Error != nil {
			return news, missingLoan(sv.Ref, fmt.Errorf("insert transaction: %w", res.Error))
		}
		if res.RowsAffected == 1 {
			news.payments = append(news.payments, t)
		}
	}
	m := sv.Money
	if o.wants(lending.EventOverdue) {
		var before LoanMoney
		if err := tx.Model(&Loan{}).Where("ref = ? AND servicing_seq < ?", sv.Ref, sv.Seq).
			Select("days_past_due", "delinquency_bucket").Take(&before).Error; err == nil {
			news.before, news.after = &before, m
		}
	}
	res := tx.Model(&Loan{}).Where("ref = ? AND servicing_seq < ?", sv.Ref, sv.Seq).Updates(map[string]any{
		"repaid": m.Repaid, "total_repayable": m.TotalRepayable, "penalties_due": m.PenaltiesDue,
		"overpaid": m.Overpaid, "written_off": m.WrittenOff, "recovered": m.Recovered,
		"days_past_due": m.DaysPastDue, "delinquency_bucket": m.DelinquencyBucket, "servicing_seq": sv.Seq,
	})
	if res.Error != nil {
		return news, res.Error
	}
	if res.RowsAffected == 0 {
		return news, nil // a newer snapshot is stored already
	}
	// A shorter schedule (reduce_term) drops installments.
	if err := tx.Where("loan_ref = ? AND number > ?", sv.Ref, len(sv.Installments)).Delete(&Installment{}).Error; err != nil {
		return news, err
	}
	if len(sv.Installments) == 0 {
		return news, nil
	}
	// One statement for the whole schedule: a loan's step rewrites every
	// installment, and a statement each was most of a repayment's cost.
	rows := make([]Installment, len(sv.Installments))
	for i, in := range sv.Installments {
		in.ID, in.LoanRef = 0, sv.Ref
		rows[i] = in
	}
	if err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "loan_ref"}, {Name: "number"}},
		UpdateAll: true,
	}).Create(&rows).Error; err != nil {
		return news, fmt.Errorf("write the installments: %w", err)
	}
	return news, nil
}
