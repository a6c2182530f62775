package models

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/callbacks"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/migrator"
	"gorm.io/gorm/schema"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteDialector is a GORM dialector on modernc.org/sqlite.
//
// github.com/glebarez/sqlite cannot be used: its driver package
// (glebarez/go-sqlite) and modernc.org/sqlite both register the database/sql
// driver name "sqlite" in init, and the embedded Temporal server that
// `loanflow dev` links uses modernc.org/sqlite, so a binary holding both
// panics at start ("sql: Register called twice for driver sqlite"). This
// dialector uses the one registrant Temporal already brings.
//
// The schema is managed by the SQL migrations, so the Migrator only answers
// the existence questions GORM itself may ask.
type sqliteDialector struct {
	dsn string
}

func (sqliteDialector) Name() string { return DialectSQLite }

func (d sqliteDialector) Initialize(db *gorm.DB) error {
	conn, err := sql.Open("sqlite", d.dsn)
	if err != nil {
		return err
	}
	db.ConnPool = conn
	// RETURNING needs SQLite 3.35; modernc.org/sqlite embeds a newer one.
	callbacks.RegisterDefaultCallbacks(db, &callbacks.Config{
		CreateClauses:        []string{"INSERT", "VALUES", "ON CONFLICT", "RETURNING"},
		UpdateClauses:        []string{"UPDATE", "SET", "FROM", "WHERE", "RETURNING"},
		DeleteClauses:        []string{"DELETE", "FROM", "WHERE", "RETURNING"},
		LastInsertIDReversed: true,
	})
	for name, builder := range d.clauseBuilders() {
		db.ClauseBuilders[name] = builder
	}
	return nil
}

func (sqliteDialector) clauseBuilders() map[string]clause.ClauseBuilder {
	return map[string]clause.ClauseBuilder{
		// SQLite accepts OFFSET only after a LIMIT; -1 means no limit.
		"LIMIT": func(c clause.Clause, builder clause.Builder) {
			limit, ok := c.Expression.(clause.Limit)
			if !ok {
				c.Build(builder)
				return
			}
			n := -1
			if limit.Limit != nil && *limit.Limit >= 0 {
				n = *limit.Limit
			}
			if n >= 0 || limit.Offset > 0 {
				builder.WriteString("LIMIT ")
				builder.WriteString(strconv.Itoa(n))
			}
			if limit.Offset > 0 {
				builder.WriteString(" OFFSET ")
				builder.WriteString(strconv.Itoa(limit.Offset))
			}
		},
		// SQLite has no row locks: a write transaction locks the database.
		"FOR": func(c clause.Clause, builder clause.Builder) {
			if _, ok := c.Expression.(clause.Locking); ok {
				return
			}
			c.Build(builder)
		},
	}
}

func (d sqliteDialector) Migrator(db *gorm.DB) gorm.Migrator {
	return sqliteMigrator{migrator.Migrator{Config: migrator.Config{
		DB:                          db,
		Dialector:                   d,
		CreateIndexAfterCreateTable: true,
	}}}
}

func (sqliteDialector) DataTypeOf(field *schema.Field) string {
	switch field.DataType {
	case schema.Bool:
		return "BOOLEAN"
	case schema.Int, schema.Uint:
		if field.AutoIncrement && field.PrimaryKey {
			return "INTEGER PRIMARY KEY AUTOINCREMENT"
		}
		return "INTEGER"
	case schema.Float:
		return "REAL"
	case schema.String:
		return "TEXT"
	case schema.Time:
		// The driver turns DATETIME columns back into time.Time.
		return "DATETIME"
	case schema.Bytes:
		return "BLOB"
	}
	// Anything else (decimal.Decimal reports itself a string) stays exact as TEXT.
	return "TEXT"
}

func (sqliteDialector) DefaultValueOf(field *schema.Field) clause.Expression {
	if field.AutoIncrement {
		return clause.Expr{SQL: "NULL"}
	}
	return clause.Expr{SQL: "DEFAULT"}
}

func (sqliteDialector) BindVarTo(writer clause.Writer, _ *gorm.Statement, _ interface{}) {
	writer.WriteByte('?')
}

// QuoteTo double-quotes each dot-separated part of an identifier.
func (sqliteDialector) QuoteTo(writer clause.Writer, str string) {
	for i, part := range strings.Split(str, ".") {
		if i > 0 {
			writer.WriteByte('.')
		}
		if len(part) >= 2 && (part[0] == '"' && part[len(part)-1] == '"' || part[0] == '`' && part[len(part)-1] == '`') {
			part = part[1 : len(part)-1]
		}
		writer.WriteByte('"')
		writer.WriteString(strings.ReplaceAll(part, `"`, `""`))
		writer.WriteByte('"')
	}
}

func (sqliteDialector) Explain(sql string, vars ...interface{}) string {
	return logger.ExplainSQL(sql, nil, `'`, vars...)
}

func (sqliteDialector) SavePoint(tx *gorm.DB, name string) error {
	return tx.Exec("SAVEPOINT " + name).Error
}

func (sqliteDialector) RollbackTo(tx *gorm.DB, name string) error {
	return tx.Exec("ROLLBACK TO SAVEPOINT " + name).Error
}

// Translate maps constraint violations to GORM's portable errors.
func (sqliteDialector) Translate(err error) error {
	var serr *sqlite.Error
	if !errors.As(err, &serr) {
		return err
	}
	switch serr.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return errors.Join(gorm.ErrDuplicatedKey, err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return errors.Join(gorm.ErrForeignKeyViolated, err)
	}
	return err
}

type sqliteMigrator struct {
	migrator.Migrator
}

func (m sqliteMigrator) CurrentDatabase() string { return "main" }

func (m sqliteMigrator) HasTable(value interface{}) bool {
	var count int64
	_ = m.RunWithValue(value, func(stmt *gorm.Statement) error {
		return m.DB.Raw("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", stmt.Table).Row().Scan(&count)
	})
	return count > 0
}

func (m sqliteMigrator) GetTables() ([]string, error) {
	var tables []string
	err := m.DB.Raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").Scan(&tables).Error
	return tables, err
}

func (m sqliteMigrator) HasColumn(value interface{}, field string) bool {
	var count int64
	_ = m.RunWithValue(value, func(stmt *gorm.Statement) error {
		name := field
		if stmt.Schema != nil {
			if f := stmt.Schema.LookUpField(field); f != nil {
				name = f.DBName
			}
		}
		return m.DB.Raw("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", stmt.Table, name).Row().Scan(&count)
	})
	return count > 0
}

func (m sqliteMigrator) HasIndex(value interface{}, name string) bool {
	var count int64
	_ = m.RunWithValue(value, func(stmt *gorm.Statement) error {
		if stmt.Schema != nil {
			if idx := stmt.Schema.LookIndex(name); idx != nil {
				name = idx.Name
			}
		}
		return m.DB.Raw("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?", stmt.Table, name).Row().Scan(&count)
	})
	return count > 0
}
