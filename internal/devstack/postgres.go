package devstack

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/tools/common/schema"
	toolsql "go.temporal.io/server/tools/sql"
)

// The server's own embedded schema directories, the ones its admin tools'
// temporal-sql-tool applies with --schema-name.
const (
	postgresSchema           = "postgresql/v12/temporal"
	postgresVisibilitySchema = "postgresql/v12/visibility"
)

// postgresConfig turns a postgres:// URL into the server's connection
// settings; the URL's query parameters (sslmode, …) become connection
// attributes.
func postgresConfig(dsn string) (*config.SQL, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, errors.New("not a URL") // the parse error would repeat the password
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, fmt.Errorf("scheme %q is not postgres", u.Scheme)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" || strings.Contains(name, "/") {
		return nil, errors.New("no database name in the path")
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "5432")
	}
	password, _ := u.User.Password()
	attrs := map[string]string{}
	for k, v := range u.Query() {
		attrs[k] = v[len(v)-1]
	}
	return &config.SQL{
		PluginName:        postgresql.PluginName,
		DatabaseName:      name,
		ConnectAddr:       addr,
		User:              u.User.Username(),
		Password:          password,
		ConnectAttributes: attrs,
	}, nil
}

// preparePostgres brings both databases' schemas to the versions this server
// needs and creates the namespace when missing. The databases must exist.
func preparePostgres(main, visibility *config.SQL, namespace string) error {
	for _, db := range []struct {
		cfg    *config.SQL
		schema string
	}{{main, postgresSchema}, {visibility, postgresVisibilitySchema}} {
		if err := updateSchema(db.cfg, db.schema); err != nil {
			return fmt.Errorf("devstack: schema of database %q: %w", db.cfg.DatabaseName, err)
		}
	}
	return createNamespace(main, namespace)
}

// updateSchema does what `temporal-sql-tool setup-schema -v 0.0` followed by
// `update-schema --schema-name <name>` do: it creates the version tables
// when missing and applies every versioned step above the recorded version.
// On a database already at the latest version it changes nothing, so every
// start may run it, and a server upgrade brings its new steps.
func updateSchema(cfg *config.SQL, schemaName string) error {
	conn, err := toolsql.NewConnection(cfg, log.NewNoopLogger())
	if err != nil {
		return err
	}
	defer conn.Close()
	setup := schema.NewSetupSchemaTask(conn, &schema.SetupConfig{InitialVersion: "0.0"}, log.NewNoopLogger())
	if err := setup.Run(); err != nil {
		return err
	}
	update := schema.NewUpdateSchemaTask(conn, &schema.UpdateConfig{DBName: cfg.DatabaseName, SchemaName: schemaName}, log.NewNoopLogger())
	return update.Run()
}
