package devstack

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	"go.temporal.io/server/common/persistence/sql"
	"go.temporal.io/server/common/persistence/sql/sqlplugin"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives/timestamp"
	"go.temporal.io/server/common/resolver"
	sqliteschema "go.temporal.io/server/schema/sqlite"

	"github.com/loanflow/loanflow/internal/temporalsetup"
)

const (
	dbFileName   = "temporal.db"
	lockFileName = "temporal.lock"
	// clusterName names the one cluster in the file; it is persisted with
	// every namespace, so it must never change.
	clusterName = "active"
	// retentionDays keeps closed loans' histories browsable in the UI for a
	// month instead of the server default of one day.
	retentionDays = 30
)

// sqliteConfig describes the Temporal database file. Every Temporal service
// in the process shares one connection to it (the sqlite plugin pools by DSN).
//
// WAL makes a commit one append to the -wal file, and synchronous=NORMAL
// writes it to the OS before the commit returns, so a kill -9 loses nothing
// that was committed and never corrupts the file; only a power cut can roll
// back the last transactions, which FULL would prevent at an fsync per commit.
// busy_timeout covers a second process (a backup, an sqlite3 shell) briefly
// holding a lock.
func sqliteConfig(dbPath string) *config.SQL {
	return &config.SQL{
		PluginName:   sqliteplugin.PluginName,
		DatabaseName: dbPath,
		ConnectAttributes: map[string]string{
			"mode":         "rwc",
			"journal_mode": "wal",
			"synchronous":  "NORMAL",
			"busy_timeout": "5000",
		},
	}
}

// databasePath returns the absolute path of the database file in dataDir,
// creating dataDir. The path becomes part of a SQLite URI ("file:<path>?..."),
// so characters that would end the path part are refused.
func databasePath(dataDir string) (string, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return "", fmt.Errorf("devstack: data dir: %w", err)
	}
	if strings.ContainsAny(abs, "?#") {
		return "", fmt.Errorf("devstack: data dir %q must not contain '?' or '#'", abs)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return "", fmt.Errorf("devstack: data dir: %w", err)
	}
	return filepath.Join(abs, dbFileName), nil
}

// prepareDatabase creates the schema when the file is new and the namespace
// when it is missing.
//
// A marker file brackets the schema setup: it exists only while the schema is
// being written, so finding it means an earlier start died half way (the file
// then holds a partial schema and no history) and the setup starts over. Going
// by the database file alone would leave such a file broken forever.
func prepareDatabase(cfg *config.SQL, dbPath, namespace string) error {
	marker := dbPath + ".initializing"
	fresh, err := needsSchema(dbPath, marker)
	if err != nil {
		return err
	}
	if fresh {
		if err := setupSchema(cfg, dbPath, marker); err != nil {
			return err
		}
	}
	if err := createNamespace(cfg, namespace); err != nil {
		return err
	}
	return forgetMembers(cfg)
}

// createNamespace writes the namespace, with loanflow's search attributes,
// straight into the database before the server starts, so that it is usable
// from the first request instead of after the frontends' namespace cache
// refresh. The server's helper for this lives with the SQLite schema but
// works through the generic SQL persistence, PostgreSQL included.
func createNamespace(cfg *config.SQL, namespace string) error {
	ns, err := sqliteschema.NewNamespaceConfig(clusterName, namespace, false, temporalsetup.SearchAttributes())
	if err != nil {
		return fmt.Errorf("devstack: namespace %q: %w", namespace, err)
	}
	ns.Detail.Config.Retention = timestamp.DurationFromDays(retentionDays)
	// A no-op for an existing namespace; its search attributes are then
	// checked through the running server by temporalsetup.
	if err := sqliteschema.CreateNamespaces(cfg, ns); err != nil {
		return fmt.Errorf("devstack: create namespace %q: %w", namespace, err)
	}
	return nil
}

// forgetMembers empties the membership table. Each service joins the ring
// through the members that heartbeated in the last 20 seconds, so right after
// a restart it would first try the dead process's ports and give up only
// after the join timeout, leaving matching unreachable for half a minute. All
// members live in this process, which holds the data dir lock, so every row
// left from before is dead.
func forgetMembers(cfg *config.SQL) error {
	db, err := sql.NewSQLAdminDB(sqlplugin.DbKindMain, cfg, resolver.NewNoopResolver(), log.NewNoopLogger(), metrics.NoopMetricsHandler)
	if err != nil {
		return fmt.Errorf("devstack: open database: %w", err)
	}
	defer func() { _ = db.Close() }()
	if err := db.Exec("DELETE FROM cluster_membership"); err != nil {
		return fmt.Errorf("devstack: clear stale cluster members: %w", err)
	}
	return nil
}

func needsSchema(dbPath, marker string) (bool, error) {
	switch _, err := os.Stat(marker); {
	case err == nil:
		for _, p := range []string{dbPath, dbPath + "-wal", dbPath + "-shm"} {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return false, fmt.Errorf("devstack: remove half-initialized database: %w", err)
			}
		}
		return true, nil
	case !errors.Is(err, fs.ErrNotExist):
		return false, fmt.Errorf("devstack: %w", err)
	}
	switch _, err := os.Stat(dbPath); {
	case err == nil:
		return false, nil
	case errors.Is(err, fs.ErrNotExist):
		return true, nil
	default:
		return false, fmt.Errorf("devstack: %w", err)
	}
}

// setupSchema writes the schema between creating and removing the marker.
// Neither step is fsynced: like the database itself (synchronous=NORMAL) this
// guards against the process dying, which never loses the OS page cache.
func setupSchema(cfg *config.SQL, dbPath, marker string) error {
	if err := os.WriteFile(marker, nil, 0o640); err != nil {
		return fmt.Errorf("devstack: schema marker: %w", err)
	}
	if err := sqliteschema.SetupSchema(cfg); err != nil {
		return fmt.Errorf("devstack: set up schema in %s: %w", dbPath, err)
	}
	if err := os.Remove(marker); err != nil {
		return fmt.Errorf("devstack: schema marker: %w", err)
	}
	return nil
}
