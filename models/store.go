package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect names returned by Store.Dialect.
const (
	DialectPostgres = "postgres"
	DialectSQLite   = "sqlite"
)

var (
	// ErrNotFound: the row does not exist (or belongs to another partner).
	ErrNotFound = errors.New("models: not found")
	// ErrConflict: a unique constraint rejected the write.
	ErrConflict = errors.New("models: conflict")
)

// Store is the repository over one database, PostgreSQL or SQLite.
type Store struct {
	DB       *gorm.DB
	dialect  string
	products *productCache // shared with the Store's transactions (WithTx)
	// partnerRead is the credential check's statement; nil in a Store of
	// a transaction (WithTx), which reads through GORM.
	partnerRead *preparedRead
}

// Open connects to dsn: a postgres:// or postgresql:// URL selects
// PostgreSQL, anything else is the path of an SQLite file (":memory:" for a
// private in-memory database). It does not migrate; call Migrate.
func Open(dsn string) (*Store, error) {
	cfg := &gorm.Config{
		// GORM's default logger prints SQL with bound values: personal data.
		Logger:                 logger.Discard,
		TranslateError:         true,
		SkipDefaultTransaction: true,
		// Microseconds are what PostgreSQL keeps; trimming here makes both
		// dialects return what they were given.
		NowFunc: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(dsn, cfg)
	}
	return openSQLite(dsn, cfg)
}

func openPostgres(dsn string, cfg *gorm.Config) (*Store, error) {
	db, err := gorm.Open(postgres.Open(dsn), cfg)
	if err != nil {
		return nil, fmt.Errorf("models: open postgres: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(20)
	sqlDB.SetMaxIdleConns(10)
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	return newStore(db, DialectPostgres, sqlDB), nil
}

func openSQLite(path string, cfg *gorm.Config) (*Store, error) {
	if path == "" {
		return nil, errors.New("models: empty database DSN")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("models: sqlite path %q must not contain '?' or '#'", path)
	}
	memory := path == ":memory:"
	if !memory {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("models: create database directory: %w", err)
		}
	}
	q := url.Values{}
	// busy_timeout goes first (the driver orders it so) so the journal
	// switch itself waits for a concurrent opener instead of failing.
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	if !memory {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
	}
	// BEGIN IMMEDIATE takes the write lock up front: a deferred transaction
	// that upgrades from read to write fails at once with SQLITE_BUSY, the
	// busy timeout notwithstanding.
	q.Set("_txlock", "immediate")
	// One fixed text form in UTC, so times sort and compare as strings.
	q.Set("_time_format", "sqlite")
	q.Set("_timezone", "UTC")

	// SQLite parses every statement anew: preparing them was half of a
	// quote's time (BenchmarkQuote in api/). PostgreSQL's driver already
	// caches prepared statements per connection. Bounded: list queries
	// with filters make many shapes.
	cfg.PrepareStmt, cfg.PrepareStmtMaxSize, cfg.PrepareStmtTTL = true, 512, time.Hour
	db, err := gorm.Open(sqliteDialector{dsn: path + "?" + q.Encode()}, cfg)
	if err != nil {
		return nil, fmt.Errorf("models: open sqlite: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if memory {
		// Every connection to ":memory:" is a database of its own.
		sqlDB.SetMaxOpenConns(1)
	} else {
		// WAL lets readers run beside the one writer; writers queue on
		// the busy timeout.
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	}
	sqlDB.SetConnMaxLifetime(0)
	if err := sqlDB.Ping(); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("models: open sqlite: %w", err)
	}
	return newStore(db, DialectSQLite, sqlDB), nil
}

func newStore(db *gorm.DB, dialect string, sqlDB *sql.DB) *Store {
	return &Store{DB: db, dialect: dialect, products: &productCache{},
		partnerRead: &preparedRead{db: sqlDB, query: partnerByUsernameSQL(dialect)}}
}

// Dialect is "postgres" or "sqlite".
func (s *Store) Dialect() string { return s.dialect }

// Close closes the connection pool.
func (s *Store) Close() error {
	sqlDB, err := s.DB.DB()
	if err != nil {
		return err
	}
	if s.partnerRead != nil {
		s.partnerRead.close()
	}
	return sqlDB.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.DB.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

func (s *Store) db(ctx context.Context) *gorm.DB { return s.DB.WithContext(ctx) }

// WithTx is the store inside the transaction tx, so a write of the
// repository can join a caller's transaction.
func (s *Store) WithTx(tx *gorm.DB) *Store {
	return &Store{DB: tx, dialect: s.dialect, products: s.products}
}

// isUniqueViolation recognises a unique or primary key violation on both
// dialects, translated by GORM or not.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqlErr *sqlite.Error
	if errors.As(err, &sqlErr) {
		return sqlErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqlErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// writeErr maps a write's error onto the package sentinels.
func writeErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if isUniqueViolation(err) {
		return fmt.Errorf("models: %s: %w (%w)", op, ErrConflict, err)
	}
	return fmt.Errorf("models: %s: %w", op, err)
}

// missingLoan turns the foreign key violation of a row written for a loan
// that does not exist into ErrNotFound.
func missingLoan(ref int64, err error) error {
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return fmt.Errorf("loan %d: %w", ref, ErrNotFound)
	}
	return err
}

// readErr maps a read's error onto the package sentinels.
func readErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("models: %s: %w", op, ErrNotFound)
	}
	return fmt.Errorf("models: %s: %w", op, err)
}
