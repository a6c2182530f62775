package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// ExternalLoan is a loan issued outside loanflow as a reconciliation feed
// reports it (today the WebMoney Debt service's list of issued loans). The
// feed's own fields are kept as reported; Source and ExternalID identify the
// loan; FirstSeenAt and UpdatedAt are loanflow's: when the feed first listed
// it and when a re-import last found any field different.
//
// State is the source's numeric code (WebMoney's 0–6) and StateName its
// stable name, written by the caller: this package knows no source's states.
type ExternalLoan struct {
	ID         uint   `gorm:"primaryKey"`
	Source     string `gorm:"not null"`
	ExternalID string `gorm:"not null"`

	LenderID   string `gorm:"not null"` // WebMoney: the lender's WMID
	BorrowerID string `gorm:"not null"` // WebMoney: the borrower's WMID
	// The accounts (WebMoney purses) the loan was issued from, issued to
	// and is repaid from.
	SourceAccount      string `gorm:"not null"`
	DestinationAccount string `gorm:"not null"`
	RepaymentAccount   string `gorm:"not null"`
	TransferID         string `gorm:"not null"` // the source's transfer of the issued money
	ContractID         string `gorm:"not null"`

	Amount            decimal.Decimal `gorm:"not null"` // issued
	AmountToRepay     decimal.Decimal `gorm:"not null"`
	AmountOutstanding decimal.Decimal `gorm:"not null"` // still to be repaid

	IssuedAt     time.Time `gorm:"not null"`
	DueAt        time.Time `gorm:"not null"`
	ReturnPeriod int       `gorm:"not null"` // as the source reports it

	State     int    `gorm:"not null"`
	StateName string `gorm:"not null"`
	// StateChangedAt is the source's time of the last state change.
	StateChangedAt time.Time `gorm:"not null"`

	FirstSeenAt time.Time `gorm:"not null"`
	UpdatedAt   time.Time `gorm:"not null;autoUpdateTime:false"`
}

// TableName fixes the table the migrations create.
func (ExternalLoan) TableName() string { return "external_loans" }

// ExternalLoanEvent is one state change of an external loan, recorded by
// the import that first saw the new state. ChangedAt is the source's time
// of the change, At the import's.
type ExternalLoanEvent struct {
	ID             uint      `gorm:"primaryKey"`
	ExternalLoanID uint      `gorm:"not null"`
	FromState      int       `gorm:"not null"`
	FromStateName  string    `gorm:"not null"`
	ToState        int       `gorm:"not null"`
	ToStateName    string    `gorm:"not null"`
	ChangedAt      time.Time `gorm:"not null"`
	At             time.Time `gorm:"not null"`
}

// TableName fixes the table the migrations create.
func (ExternalLoanEvent) TableName() string { return "external_loan_events" }

// ExternalLoanFilter selects external loans; zero fields do not filter.
type ExternalLoanFilter struct {
	Source string
	States []int
	// IssuedFrom is inclusive, IssuedTo exclusive.
	IssuedFrom, IssuedTo *time.Time
	// Limit defaults to DefaultListLimit and is capped at MaxListLimit.
	Limit, Offset int
	// OldestFirst flips the default order, newest issued first.
	OldestFirst bool
}

// externalIDChunk bounds the IN list of one look-up, well under both
// dialects' limits on bound parameters.
const externalIDChunk = 500

// UpsertExternalLoans records one import of a source's feed at time at, in
// one database transaction. A loan not seen before is created; a known one
// whose fields differ is updated (UpdatedAt = at), and if its State differs
// one ExternalLoanEvent is recorded. A loan identical to the stored one is
// left alone, so importing the same feed again writes nothing.
//
// Overlapping imports cannot record a change twice: the update only applies
// to the row in the state and version it was read in, and one that lost the
// race fails with ErrConflict, to be retried against the new state.
func (s *Store) UpsertExternalLoans(ctx context.Context, source string, loans []ExternalLoan, at time.Time) (created, changed int, err error) {
	if source == "" {
		return 0, 0, errors.New("models: upsert external loans: empty source")
	}
	if at.IsZero() {
		return 0, 0, errors.New("models: upsert external loans: zero import time")
	}
	ids := make([]string, 0, len(loans))
	for i := range loans {
		if loans[i].ExternalID == "" {
			return 0, 0, fmt.Errorf("models: upsert external loans: loan %d of the feed has no external id", i)
		}
		ids = append(ids, loans[i].ExternalID)
	}
	if len(loans) == 0 {
		return 0, 0, nil
	}
	at = dbTime(at)
	err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
		created, changed = 0, 0
		stored, err := externalLoansByID(tx, source, ids)
		if err != nil {
			return err
		}
		for i := range loans {
			in := normalizeExternalLoan(loans[i], source)
			old, known := stored[in.ExternalID]
			if !known {
				in.FirstSeenAt, in.UpdatedAt = at, at
				if err := tx.Create(&in).Error; err != nil {
					return fmt.Errorf("create %s/%s: %w", source, in.ExternalID, err)
				}
				stored[in.ExternalID] = &in
				created++
				continue
			}
			if sameExternalLoan(old, &in) {
				continue
			}
			if err := updateExternalLoan(tx, old, &in, at); err != nil {
				return err
			}
			in.ID, in.FirstSeenAt, in.UpdatedAt = old.ID, old.FirstSeenAt, at
			stored[in.ExternalID] = &in
			changed++
		}
		return nil
	})
	if err != nil {
		return 0, 0, writeErr("upsert external loans", err)
	}
	return created, changed, nil
}

// updateExternalLoan writes in over old, guarded by old's state and
// version, and records the state change if there is one.
func updateExternalLoan(tx *gorm.DB, old, in *ExternalLoan, at time.Time) error {
	res := tx.Model(&ExternalLoan{}).
		Where("id = ? AND state = ? AND updated_at = ?", old.ID, old.State, old.UpdatedAt).
		Updates(map[string]any{
			"lender_id":           in.LenderID,
			"borrower_id":         in.BorrowerID,
			"source_account":      in.SourceAccount,
			"destination_account": in.DestinationAccount,
			"repayment_account":   in.RepaymentAccount,
			"transfer_id":         in.TransferID,
			"contract_id":         in.ContractID,
			"amount":              in.Amount,
			"amount_to_repay":     in.AmountToRepay,
			"amount_outstanding":  in.AmountOutstanding,
			"issued_at":           in.IssuedAt,
			"due_at":              in.DueAt,
			"return_period":       in.ReturnPeriod,
			"state":               in.State,
			"state_name":          in.StateName,
			"state_changed_at":    in.StateChangedAt,
			"updated_at":          at,
		})
	if res.Error != nil {
		return fmt.Errorf("update %s/%s: %w", old.Source, old.ExternalID, res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("external loan %s/%s was changed by a concurrent import: %w", old.Source, old.ExternalID, ErrConflict)
	}
	if old.State == in.State {
		return nil
	}
	ev := ExternalLoanEvent{
		ExternalLoanID: old.ID,
		FromState:      old.State, FromStateName: old.StateName,
		ToState: in.State, ToStateName: in.StateName,
		ChangedAt: in.StateChangedAt, At: at,
	}
	if err := tx.Create(&ev).Error; err != nil {
		return fmt.Errorf("record state change of %s/%s: %w", old.Source, old.ExternalID, err)
	}
	return nil
}

// normalizeExternalLoan stamps the source and stores instants as both
// dialects read them back, so comparing with a stored row is exact.
func normalizeExternalLoan(l ExternalLoan, source string) ExternalLoan {
	l.ID = 0
	l.Source = source
	l.IssuedAt = dbTime(l.IssuedAt)
	l.DueAt = dbTime(l.DueAt)
	l.StateChangedAt = dbTime(l.StateChangedAt)
	return l
}

// sameExternalLoan compares the feed's fields: amounts by value (100 and
// 100.00 are the same amount), instants by instant.
func sameExternalLoan(a, b *ExternalLoan) bool {
	return a.LenderID == b.LenderID && a.BorrowerID == b.BorrowerID &&
		a.SourceAccount == b.SourceAccount && a.DestinationAccount == b.DestinationAccount &&
		a.RepaymentAccount == b.RepaymentAccount && a.TransferID == b.TransferID && a.ContractID == b.ContractID &&
		a.Amount.Equal(b.Amount) && a.AmountToRepay.Equal(b.AmountToRepay) && a.AmountOutstanding.Equal(b.AmountOutstanding) &&
		a.IssuedAt.Equal(b.IssuedAt) && a.DueAt.Equal(b.DueAt) && a.ReturnPeriod == b.ReturnPeriod &&
		a.State == b.State && a.StateName == b.StateName && a.StateChangedAt.Equal(b.StateChangedAt)
}

func externalLoansByID(tx *gorm.DB, source string, ids []string) (map[string]*ExternalLoan, error) {
	out := make(map[string]*ExternalLoan, len(ids))
	for start := 0; start < len(ids); start += externalIDChunk {
		var rows []ExternalLoan
		chunk := ids[start:min(start+externalIDChunk, len(ids))]
		if err := tx.Where("source = ? AND external_id IN ?", source, chunk).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("read stored external loans: %w", err)
		}
		for i := range rows {
			out[rows[i].ExternalID] = &rows[i]
		}
	}
	return out, nil
}

// GetExternalLoan reads one external loan.
func (s *Store) GetExternalLoan(ctx context.Context, source, externalID string) (*ExternalLoan, error) {
	return takeOne[ExternalLoan](s.db(ctx), fmt.Sprintf("get external loan %s/%s", source, externalID), "source = ? AND external_id = ?", source, externalID)
}

// ListExternalLoans returns one page of the external loans matching f and
// how many match over all pages, by issue time (then id), newest first
// unless f.OldestFirst.
func (s *Store) ListExternalLoans(ctx context.Context, f ExternalLoanFilter) ([]ExternalLoan, int64, error) {
	q := s.db(ctx).Model(&ExternalLoan{})
	if f.Source != "" {
		q = q.Where("source = ?", f.Source)
	}
	if len(f.States) > 0 {
		q = q.Where("state IN ?", f.States)
	}
	if f.IssuedFrom != nil {
		q = q.Where("issued_at >= ?", dbTime(*f.IssuedFrom))
	}
	if f.IssuedTo != nil {
		q = q.Where("issued_at < ?", dbTime(*f.IssuedTo))
	}
	return page[ExternalLoan](q, "external loans", timeOrder("issued_at", "id", f.OldestFirst), f.Limit, f.Offset)
}

// ExternalLoanEvents lists the state changes of one external loan, oldest
// first. An unknown loan is ErrNotFound; a loan never seen to change has
// none.
func (s *Store) ExternalLoanEvents(ctx context.Context, source, externalID string) ([]ExternalLoanEvent, error) {
	l, err := s.GetExternalLoan(ctx, source, externalID)
	if err != nil {
		return nil, err
	}
	return listRows[ExternalLoanEvent](s.db(ctx).Where("external_loan_id = ?", l.ID), "id", fmt.Sprintf("external loan events of %s/%s", source, externalID))
}
