package models

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"

	"gorm.io/gorm"
)

//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrationFiles embed.FS

// Migration is one versioned schema change.
type Migration struct {
	Version int64
	Name    string
	SQL     string
}

var migrationName = regexp.MustCompile(`^(\d+)_([a-z0-9_]+)\.sql$`)

// migrationLockKey is the pg_advisory_xact_lock key that serialises
// Migrate across processes (an arbitrary constant: "loanflow" in ASCII).
const migrationLockKey int64 = 0x6c6f616e666c6f77

// Migrations lists the embedded migrations of a dialect in version order.
func Migrations(dialect string) ([]Migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("models: no migrations for dialect %q: %w", dialect, err)
	}
	var out []Migration
	seen := map[int64]string{}
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("models: migration file %s/%s is not named NNNN_name.sql", dir, e.Name())
		}
		v, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("models: migration file %s/%s: bad version", dir, e.Name())
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("models: migrations %s and %s share version %d", other, e.Name(), v)
		}
		seen[v] = e.Name()
		body, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: m[2], SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Migrate applies the migrations the database lacks, oldest first, each in
// its own transaction together with its schema_migrations row. Running it
// again is a no-op. Concurrent runs are safe: on PostgreSQL each step holds
// a transaction-scoped advisory lock; on SQLite the transaction takes the
// database write lock when it begins.
func (s *Store) Migrate(ctx context.Context) error {
	migrations, err := Migrations(s.dialect)
	if err != nil {
		return err
	}
	for {
		done, err := s.migrateStep(ctx, migrations)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// migrateStep applies the first missing migration and reports whether none
// was missing. The applied set is read under the lock, so a concurrent
// migrator that got there first is seen and nothing is applied twice.
func (s *Store) migrateStep(ctx context.Context, migrations []Migration) (done bool, err error) {
	err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
		// Raw statements go straight to the connection: GORM would
		// otherwise try to interpret '?' and '@' in the SQL files.
		conn := tx.Statement.ConnPool
		if s.dialect == DialectPostgres {
			if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLockKey); err != nil {
				return fmt.Errorf("models: migration lock: %w", err)
			}
		}
		if _, err := conn.ExecContext(ctx, s.schemaMigrationsDDL()); err != nil {
			return fmt.Errorf("models: create schema_migrations: %w", err)
		}
		applied, err := appliedVersions(ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range migrations {
			if applied[m.Version] {
				continue
			}
			if _, err := conn.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("models: migration %04d_%s: %w", m.Version, m.Name, err)
			}
			if err := tx.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
				m.Version, tx.NowFunc()).Error; err != nil {
				return fmt.Errorf("models: record migration %d: %w", m.Version, err)
			}
			return nil
		}
		done = true
		return nil
	})
	return done, err
}

func (s *Store) schemaMigrationsDDL() string {
	if s.dialect == DialectPostgres {
		return `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    bigint PRIMARY KEY,
			applied_at timestamptz NOT NULL)`
	}
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at DATETIME NOT NULL)`
}

func appliedVersions(ctx context.Context, tx *gorm.DB) (map[int64]bool, error) {
	var versions []int64
	if err := tx.WithContext(ctx).Raw("SELECT version FROM schema_migrations").Scan(&versions).Error; err != nil {
		return nil, fmt.Errorf("models: read schema_migrations: %w", err)
	}
	out := make(map[int64]bool, len(versions))
	for _, v := range versions {
		out[v] = true
	}
	return out, nil
}

// AppliedMigrations lists the versions recorded in schema_migrations.
func (s *Store) AppliedMigrations(ctx context.Context) ([]int64, error) {
	var versions []int64
	err := s.db(ctx).Raw("SELECT version FROM schema_migrations ORDER BY version").Scan(&versions).Error
	return versions, err
}

// PendingMigrations lists the embedded migrations the database lacks, oldest
// first: all of them on a database never migrated. A process that finds any
// runs against a schema older than its code.
func (s *Store) PendingMigrations(ctx context.Context) ([]Migration, error) {
	migrations, err := Migrations(s.dialect)
	if err != nil {
		return nil, err
	}
	if !s.db(ctx).Migrator().HasTable("schema_migrations") {
		return migrations, nil
	}
	applied, err := appliedVersions(ctx, s.db(ctx))
	if err != nil {
		return nil, err
	}
	var pending []Migration
	for _, m := range migrations {
		if !applied[m.Version] {
			pending = append(pending, m)
		}
	}
	return pending, nil
}
