package models

import (
	"context"

	"gorm.io/gorm/clause"
)

// GetProduct reads a product by code.
func (s *Store) GetProduct(ctx context.Context, code string) (*Product, error) {
	return takeOne[Product](s.db(ctx), "get product", "code = ?", code)
}

// ListProducts lists all products, active or not, by code.
func (s *Store) ListProducts(ctx context.Context) ([]Product, error) {
	return listRows[Product](s.db(ctx), "code", "list products")
}

// productUpdateColumns is every product column but the key and creation
// time: an upsert rewrites the product's terms.
var productUpdateColumns = []string{
	"name", "currency", "currency_decimals", "min_amount", "max_amount",
	"min_term_months", "max_term_months", "annual_interest_rate",
	"disbursement_fee_percent", "monthly_fee_percent", "min_age",
	"max_age_at_maturity", "max_open_loans", "cash_release_window_days", "approval_sla_hours",
	"four_eyes_threshold", "ledger", "lender", "active", "fineract_product_id", "mambu_product_key",
	"prepayment_strategy", "allocation_order", "early_repayment_fee_percent", "penalty_grace_days",
	"late_fee", "penalty_rate", "penalty_cap_percent", "delinquency_buckets", "holiday_interest",
	"accrual_days_in_year", "accrual_days_in_month",
	"interest_method", "amortization", "interest_calculation_period", "allow_partial_period_interest",
	"days_in_year", "days_in_month", "repayment_every", "grace_on_principal", "grace_on_interest_payment",
	"grace_on_interest_charged", "rounding_mode", "installment_in_multiples_of", "currency_in_multiples_of", "engine",
}

// UpsertProduct inserts the product, or rewrites the one with the same
// code. p.ID is set.
func (s *Store) UpsertProduct(ctx context.Context, p *Product) error {
	p.ID = 0
	err := s.db(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "code"}},
		DoUpdates: clause.AssignmentColumns(productUpdateColumns),
	}).Create(p).Error
	s.forgetProducts()
	return writeErr("upsert product", err)
}
