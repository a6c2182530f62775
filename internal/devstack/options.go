package devstack

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"go.temporal.io/server/common/config"
)

// Options configure Start. Only DataDir is required, or instead both
// Postgres DSNs.
type Options struct {
	// DataDir holds the SQLite file <DataDir>/temporal.db; both are created if
	// missing.
	DataDir string
	// PostgresDSN and PostgresVisibilityDSN, such as
	// "postgres://temporal:…@db:5432/temporal?sslmode=disable" and the same
	// with temporal_visibility, keep the server's data in these two existing
	// PostgreSQL databases instead of SQLite, as a production cluster does.
	// Start sets their schemas up, or upgrades them, from the server's own
	// schema files. Set both or neither; with them DataDir is not used.
	PostgresDSN           string
	PostgresVisibilityDSN string
	// FrontendAddr is where the frontend gRPC service listens, e.g.
	// "127.0.0.1:7233" (the default); port 0 picks a free port.
	FrontendAddr string
	// UIAddr is where the Web UI listens, e.g. ":8233" or "127.0.0.1:0"; empty
	// runs no UI.
	UIAddr string
	// Namespace is created if missing; "default" when empty.
	Namespace string
	// Logger receives the server's warnings and errors; slog.Default() when nil.
	Logger *slog.Logger
	// CodecEndpoint is the remote payload codec the UI decodes payloads
	// with, such as "http://127.0.0.1:8080/codec"; the browser sends it the
	// credentials it holds for that origin. Empty: payloads show as stored.
	CodecEndpoint string
}

const (
	defaultFrontendAddr = "127.0.0.1:7233"
	defaultNamespace    = "default"
	loopback            = "127.0.0.1"
)

// endpoint is a listen address split into what to bind and what to dial.
type endpoint struct {
	bindHost string // an IP, or "" for all interfaces
	dialHost string // where a local client connects
	port     int
}

func (e endpoint) bindAddr() string { return net.JoinHostPort(e.bindHost, strconv.Itoa(e.port)) }
func (e endpoint) dialAddr() string { return net.JoinHostPort(e.dialHost, strconv.Itoa(e.port)) }

// parseEndpoint accepts host:port with an IP, "localhost" or no host, and
// replaces port 0 by a free port now, because the UI server and the Temporal
// cluster metadata need the real port before anything listens.
func parseEndpoint(addr string) (endpoint, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return endpoint{}, err
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return endpoint{}, fmt.Errorf("bad port %q", portStr)
	}
	e := endpoint{bindHost: host, dialHost: host, port: port}
	switch ip := net.ParseIP(host); {
	case host == "":
		e.dialHost = loopback
	case host == "localhost":
		e.bindHost, e.dialHost = loopback, loopback
	case ip == nil:
		return endpoint{}, fmt.Errorf("host %q is not an IP address or localhost", host)
	case ip.IsUnspecified():
		e.dialHost = loopback
	}
	if e.port == 0 {
		probe := e.bindHost
		if probe == "" {
			probe = loopback
		}
		ports, err := freePorts(probe, 1)
		if err != nil {
			return endpoint{}, err
		}
		e.port = ports[0]
	}
	return e, nil
}

// settings are Options with defaults applied and addresses resolved.
type settings struct {
	dataDir   string
	postgres  *postgresStores // nil: SQLite in dataDir
	frontend  endpoint
	ui        *endpoint
	namespace string
	logger    *slog.Logger
	codec     string
}

// postgresStores are the server's two PostgreSQL databases.
type postgresStores struct {
	main, visibility *config.SQL
}

func (o Options) resolve() (settings, error) {
	s := settings{dataDir: o.DataDir, namespace: o.Namespace, logger: o.Logger, codec: o.CodecEndpoint}
	switch {
	case o.PostgresDSN != "" && o.PostgresVisibilityDSN != "":
		var p postgresStores
		var err error
		if p.main, err = postgresConfig(o.PostgresDSN); err != nil {
			return settings{}, fmt.Errorf("devstack: PostgresDSN: %w", err)
		}
		if p.visibility, err = postgresConfig(o.PostgresVisibilityDSN); err != nil {
			return settings{}, fmt.Errorf("devstack: PostgresVisibilityDSN: %w", err)
		}
		s.postgres = &p
	case o.PostgresDSN != "" || o.PostgresVisibilityDSN != "":
		return settings{}, errors.New("devstack: set both PostgresDSN and PostgresVisibilityDSN, or neither")
	case o.DataDir == "":
		return settings{}, errors.New("devstack: DataDir is required")
	}
	if s.namespace == "" {
		s.namespace = defaultNamespace
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	frontendAddr := o.FrontendAddr
	if frontendAddr == "" {
		frontendAddr = defaultFrontendAddr
	}
	var err error
	if s.frontend, err = parseEndpoint(frontendAddr); err != nil {
		return settings{}, fmt.Errorf("devstack: FrontendAddr %q: %w", frontendAddr, err)
	}
	if o.UIAddr != "" {
		ui, err := parseEndpoint(o.UIAddr)
		if err != nil {
			return settings{}, fmt.Errorf("devstack: UIAddr %q: %w", o.UIAddr, err)
		}
		s.ui = &ui
	}
	return s, nil
}
