package models

import (
	"context"

	"gorm.io/gorm/clause"
)

// PartnerByUsername reads a partner by its login name.
func (s *Store) PartnerByUsername(ctx context.Context, username string) (*Partner, error) {
	return takeOne[Partner](s.db(ctx), "partner by username", "username = ?", username)
}

// StaffByUsername reads a back-office user by login name.
func (s *Store) StaffByUsername(ctx context.Context, username string) (*Staff, error) {
	return takeOne[Staff](s.db(ctx), "staff by username", "username = ?", username)
}

// ListPartners lists partners by username.
func (s *Store) ListPartners(ctx context.Context) ([]Partner, error) {
	return listRows[Partner](s.db(ctx), "username", "list partners")
}

// ListStaff lists back-office users by username.
func (s *Store) ListStaff(ctx context.Context) ([]Staff, error) {
	return listRows[Staff](s.db(ctx), "username", "list staff")
}

// UpsertPartner inserts the partner, or updates the one with the same
// username. An empty PasswordHash keeps the stored one. p.ID is set.
func (s *Store) UpsertPartner(ctx context.Context, p *Partner) error {
	p.ID = 0
	return s.upsertAccount(ctx, "upsert partner", p, p.PasswordHash, "name", "partner_type", "default_product_code", "active")
}

// UpsertStaff inserts the user, or updates the one with the same username.
// An empty PasswordHash keeps the stored one. st.ID is set.
func (s *Store) UpsertStaff(ctx context.Context, st *Staff) error {
	st.ID = 0
	return s.upsertAccount(ctx, "upsert staff", st, st.PasswordHash, "name", "role", "active")
}

// upsertAccount inserts account, or updates cols of the one with the same username, and its password
// hash unless passwordHash is empty.
func (s *Store) upsertAccount(ctx context.Context, what string, account any, passwordHash string, cols ...string) error {
	if passwordHash != "" {
		cols = append(cols, "password_hash")
	}
	err := s.db(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "username"}},
		DoUpdates: clause.AssignmentColumns(cols),
	}).Create(account).Error
	return writeErr(what, err)
}
