package models

import (
	"context"
	"fmt"

	"github.com/loanflow/loanflow/lending"
	"gorm.io/gorm"
)

// The back-office console's admin changes. Each writes its ConsoleEvent in
// the same database transaction, so no change goes unaudited and no audit
// entry claims a change that was rolled back.

// StaffByID reads a back-office user by ID.
func (s *Store) StaffByID(ctx context.Context, id uint) (*Staff, error) {
	return takeOne[Staff](s.db(ctx), "staff by id", "id = ?", id)
}

// PartnerByID reads a partner by ID.
func (s *Store) PartnerByID(ctx context.Context, id uint) (*Partner, error) {
	return takeOne[Partner](s.db(ctx), "partner by id", "id = ?", id)
}

// audited runs fn and records ev in one transaction.
func (s *Store) audited(ctx context.Context, op string, ev *ConsoleEvent, fn func(tx *gorm.DB) error) error {
	err := s.db(ctx).Transaction(func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		return recordConsoleEvent(tx, ev)
	})
	return writeErr(op, err)
}

// updateOne applies updates to the row of model with the given id; a
// missing row is ErrNotFound.
func updateOne(tx *gorm.DB, model any, id uint, updates map[string]any) error {
	res := tx.Model(model).Where("id = ?", id).Updates(updates)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("id %d: %w", id, ErrNotFound)
	}
	return nil
}

// CreateStaff inserts a new back-office user; a taken username is
// ErrConflict. st.ID is set.
func (s *Store) CreateStaff(ctx context.Context, st *Staff, ev *ConsoleEvent) error {
	st.ID = 0
	return s.audited(ctx, "create staff", ev, func(tx *gorm.DB) error { return tx.Create(st).Error })
}

// SetStaffActive enables or disables a back-office user. Disabling ends the
// user's console sessions at once.
func (s *Store) SetStaffActive(ctx context.Context, id uint, active bool, ev *ConsoleEvent) error {
	return s.audited(ctx, "set staff active", ev, func(tx *gorm.DB) error {
		if err := updateOne(tx, &Staff{}, id, map[string]any{"active": active}); err != nil {
			return err
		}
		if active {
			return nil
		}
		return endStaffSessions(tx, id, "")
	})
}

// SetStaffRole changes a back-office user's role; it applies to the user's
// open sessions from their next request.
func (s *Store) SetStaffRole(ctx context.Context, id uint, role lending.Role, ev *ConsoleEvent) error {
	return s.audited(ctx, "set staff role", ev, func(tx *gorm.DB) error {
		return updateOne(tx, &Staff{}, id, map[string]any{"role": role})
	})
}

// SetStaffPassword replaces a back-office user's password hash and ends the
// user's console sessions except keepSession (the ID of the session making
// the change when users change their own password; "" for none).
func (s *Store) SetStaffPassword(ctx context.Context, id uint, hash, keepSession string, ev *ConsoleEvent) error {
	return s.audited(ctx, "set staff password", ev, func(tx *gorm.DB) error {
		if err := updateOne(tx, &Staff{}, id, map[string]any{"password_hash": hash}); err != nil {
			return err
		}
		return endStaffSessions(tx, id, keepSession)
	})
}

// CreatePartner inserts a new partner; a taken username is ErrConflict.
// p.ID is set.
func (s *Store) CreatePartner(ctx context.Context, p *Partner, ev *ConsoleEvent) error {
	p.ID = 0
	return s.audited(ctx, "create partner", ev, func(tx *gorm.DB) error { return tx.Create(p).Error })
}

// SetPartnerPassword rotates a partner's API credentials.
func (s *Store) SetPartnerPassword(ctx context.Context, id uint, hash string, ev *ConsoleEvent) error {
	return s.audited(ctx, "set partner password", ev, func(tx *gorm.DB) error {
		return updateOne(tx, &Partner{}, id, map[string]any{"password_hash": hash})
	})
}

// SetPartnerActive enables or disables a partner's API access.
func (s *Store) SetPartnerActive(ctx context.Context, id uint, active bool, ev *ConsoleEvent) error {
	return s.audited(ctx, "set partner active", ev, func(tx *gorm.DB) error {
		return updateOne(tx, &Partner{}, id, map[string]any{"active": active})
	})
}

// SetPartnerRateLimit sets a partner's own request limit (0: the
// deployment's default).
func (s *Store) SetPartnerRateLimit(ctx context.Context, id uint, perSecond float64, burst int, ev *ConsoleEvent) error {
	return s.audited(ctx, "set partner rate limit", ev, func(tx *gorm.DB) error {
		return updateOne(tx, &Partner{}, id, map[string]any{"rate_per_second": perSecond, "rate_burst": burst})
	})
}

// productTermColumns are what an admin may edit on a product. Code,
// currency, ledger and lender are fixed: loans already booked refer to them.
var productTermColumns = []string{
	"name", "min_amount", "max_amount", "min_term_months", "max_term_months",
	"annual_interest_rate", "disbursement_fee_percent", "monthly_fee_percent",
	"min_age", "max_age_at_maturity", "max_open_loans", "cash_release_window_days", "approval_sla_hours",
	"four_eyes_threshold", "active", "fineract_product_id", "mambu_product_key",
	"prepayment_strategy", "allocation_order", "early_repayment_fee_percent", "penalty_grace_days",
	"late_fee", "penalty_rate", "penalty_cap_percent", "delinquency_buckets", "holiday_interest",
	"accrual_days_in_year", "accrual_days_in_month",
	"interest_method", "amortization", "interest_calculation_period", "allow_partial_period_interest",
	"days_in_year", "days_in_month", "repayment_every", "grace_on_principal", "grace_on_interest_payment",
	"grace_on_interest_charged", "rounding_mode", "installment_in_multiples_of", "currency_in_multiples_of", "engine",
}

// UpdateProductTerms rewrites the editable terms of the product with
// p.Code; a missing product is ErrNotFound. Loans already submitted keep
// the terms they started with (their workflow carries a copy).
func (s *Store) UpdateProductTerms(ctx context.Context, p *Product, ev *ConsoleEvent) error {
	defer s.forgetProducts() // after the commit: see productCache.gen
	return s.audited(ctx, "update product", ev, func(tx *gorm.DB) error {
		res := tx.Model(&Product{}).Where("code = ?", p.Code).Select(productTermColumns).Updates(p)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("product %s: %w", p.Code, ErrNotFound)
		}
		return nil
	})
}

// CreateProduct inserts a new product; a taken code is ErrConflict. p.ID
// is set.
func (s *Store) CreateProduct(ctx context.Context, p *Product, ev *ConsoleEvent) error {
	p.ID = 0
	return s.audited(ctx, "create product", ev, func(tx *gorm.DB) error { return tx.Create(p).Error })
}
