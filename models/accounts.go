package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"gorm.io/gorm/clause"
)

// PartnerByUsername reads a partner by its login name.
//
// Every request of the partner APIs runs it: internal/auth reads the
// account on each check, so that disabling a partner or rotating its
// credentials applies to its next request on every replica. It is one
// query on the unique username index, on a statement prepared once and
// scanned without GORM, whose query building and reflection were half of
// its cost. A transaction's Store (WithTx) reads through GORM.
func (s *Store) PartnerByUsername(ctx context.Context, username string) (*Partner, error) {
	const what = "partner by username"
	if s.partnerRead == nil {
		return takeOne[Partner](s.db(ctx), what, "username = ?", username)
	}
	var p Partner
	err := s.partnerRead.row(ctx, func(r *sql.Row) error {
		return r.Scan(&p.ID, &p.Username, &p.Name, &p.PartnerType, &p.PasswordHash, &p.DefaultProductCode,
			&p.Active, &p.RatePerSecond, &p.RateBurst, &p.CreatedAt)
	}, username)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("models: %s: %w", what, ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("models: %s: %w", what, err)
	}
	return &p, nil
}

// partnerByUsernameSQL is PartnerByUsername's query: every column of
// Partner, in its field order.
func partnerByUsernameSQL(dialect string) string {
	arg := "?"
	if dialect == DialectPostgres {
		arg = "$1"
	}
	return "SELECT id, username, name, partner_type, password_hash, default_product_code, active, " +
		"rate_per_second, rate_burst, created_at FROM partners WHERE username = " + arg
}

// preparedRead is one query prepared on first use and kept until the
// Store closes; a failed preparation is tried again by the next read.
type preparedRead struct {
	db     *sql.DB
	query  string
	mu     sync.Mutex // serializes preparing and closing
	stmt   atomic.Pointer[sql.Stmt]
	closed bool
}

func (p *preparedRead) row(ctx context.Context, scan func(*sql.Row) error, args ...any) error {
	stmt := p.stmt.Load()
	if stmt == nil {
		var err error
		if stmt, err = p.prepare(ctx); err != nil {
			return err
		}
	}
	return scan(stmt.QueryRowContext(ctx, args...))
}

func (p *preparedRead) prepare(ctx context.Context) (*sql.Stmt, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if stmt := p.stmt.Load(); stmt != nil {
		return stmt, nil
	}
	if p.closed {
		return nil, errors.New("store closed")
	}
	stmt, err := p.db.PrepareContext(ctx, p.query)
	if err != nil {
		return nil, err
	}
	p.stmt.Store(stmt)
	return stmt, nil
}

func (p *preparedRead) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if stmt := p.stmt.Swap(nil); stmt != nil {
		_ = stmt.Close()
	}
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
