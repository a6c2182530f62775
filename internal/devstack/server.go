package devstack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	uiserver "github.com/temporalio/ui-server/v2/server"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/temporal"

	"github.com/loanflow/loanflow/internal/temporalsetup"
)

// startupTimeout caps Start when the caller's context has no earlier
// deadline: a cold start on a slow laptop takes seconds, not minutes, so
// anything longer is a hang worth reporting.
const startupTimeout = 2 * time.Minute

// probeName is a task queue no worker polls and a workflow ID never used;
// asking about them exercises matching and history without starting anything.
const probeName = "loanflow-devstack-readiness-probe"

// Server is a running embedded Temporal server and, optionally, its UI.
type Server struct {
	frontendAddr string
	uiURL        string
	logger       *slog.Logger

	lock     *dataDirLock
	stopping *atomic.Bool // shared with the server's logger
	temporal temporal.Server
	ui       *uiserver.Server
	client   client.Client

	stopOnce sync.Once
}

// Start opens (or creates) the database in o.DataDir, starts the Temporal
// services and the UI, and returns once the frontend answers health checks,
// history and matching answer through it, the namespace has loanflow's search
// attributes and the UI serves. ctx bounds the startup only; the server runs
// until Stop. Only one server at a time may use a data dir.
func Start(ctx context.Context, o Options) (*Server, error) {
	ctx, cancel := context.WithTimeout(ctx, startupTimeout)
	defer cancel()

	s, err := o.resolve()
	if err != nil {
		return nil, err
	}
	db, lock, err := openPersistence(s)
	if err != nil {
		return nil, err
	}
	stopping := new(atomic.Bool)
	ts, err := startTemporal(s, db, serverLogger{log: s.logger, stopping: stopping})
	if err != nil {
		lock.release()
		return nil, err
	}

	srv := &Server{
		frontendAddr: s.frontend.dialAddr(),
		logger:       s.logger,
		lock:         lock,
		stopping:     stopping,
		temporal:     ts,
	}
	if err := srv.prepareNamespace(ctx, s.namespace); err != nil {
		srv.Stop()
		return nil, err
	}
	if s.ui != nil {
		if srv.ui, err = startUI(ctx, *s.ui, s.frontend, s.namespace, s.codec); err != nil {
			srv.Stop()
			return nil, err
		}
		srv.uiURL = "http://" + s.ui.dialAddr()
	}
	return srv, nil
}

// openPersistence prepares the server's databases: the SQLite file in the
// data dir, locked for this process (a nil lock otherwise), or the two
// PostgreSQL databases.
func openPersistence(s settings) (persistence, *dataDirLock, error) {
	if s.postgres != nil {
		if err := preparePostgres(s.postgres.main, s.postgres.visibility, s.namespace); err != nil {
			return persistence{}, nil, err
		}
		return s.postgres.persistence(), nil, nil
	}
	dbPath, err := databasePath(s.dataDir)
	if err != nil {
		return persistence{}, nil, err
	}
	lock, err := lockDataDir(filepath.Join(filepath.Dir(dbPath), lockFileName))
	if err != nil {
		return persistence{}, nil, err
	}
	db := sqliteConfig(dbPath)
	if err := prepareDatabase(db, dbPath, s.namespace); err != nil {
		lock.release()
		return persistence{}, nil, err
	}
	return sqlitePersistence(db), lock, nil
}

func startTemporal(s settings, db persistence, logger serverLogger) (temporal.Server, error) {
	conf, err := serverConfig(s, db)
	if err != nil {
		return nil, err
	}
	if err := checkBindable(s.frontend.bindAddr()); err != nil {
		return nil, fmt.Errorf("devstack: frontend address: %w", err)
	}
	ts, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(logger),
		temporal.WithDynamicConfigClient(dynamicConfig()),
	)
	if err != nil {
		return nil, fmt.Errorf("devstack: build temporal server: %w", err)
	}
	if err := ts.Start(); err != nil {
		return nil, fmt.Errorf("devstack: start temporal server: %w", err)
	}
	return ts, nil
}

// LongPollExpiration is how long the server holds a worker's poll before
// answering it empty, so that the worker polls again: every poll renews the
// worker's last access time, which readiness reads (see
// gateway.PollerFreshness). docker-compose.yml sets the same for the
// production server.
const LongPollExpiration = 20 * time.Second

// HistoryCacheBytes bounds the workflows' state the embedded server keeps
// in memory.
const HistoryCacheBytes = 16 << 20

func dynamicConfig() dynamicconfig.Client {
	dc := dynamicconfig.NewMemoryClient()
	dc.OverrideSetting(dynamicconfig.MatchingLongPollExpirationInterval, LongPollExpiration)
	// The embedded server keeps a bounded amount of workflows' state in
	// memory, not one entry per live loan (up to 128,000 by default): a
	// loan out of it is read back from the database when it has work.
	dc.OverrideSetting(dynamicconfig.HistoryCacheSizeBasedLimit, true)
	dc.OverrideSetting(dynamicconfig.HistoryCacheHostLevelMaxSizeBytes, HistoryCacheBytes)
	return dc
}

// prepareNamespace waits for the frontend and makes sure the namespace has the
// search attributes. A namespace created by prepareDatabase already has them;
// one from an older data dir may not.
func (s *Server) prepareNamespace(ctx context.Context, namespace string) error {
	c, err := client.NewLazyClient(client.Options{
		HostPort:  s.frontendAddr,
		Namespace: namespace,
		Logger:    clientLogger{log: s.logger},
	})
	if err != nil {
		return fmt.Errorf("devstack: client: %w", err)
	}
	s.client = c
	if err := temporalsetup.WaitReady(ctx, c); err != nil {
		return fmt.Errorf("devstack: %w", err)
	}
	// Right after start the frontend can still be loading its namespace
	// cache, and history and matching still joining the ring; they answer
	// Unavailable or NotFound until then, which is retried. Anything else
	// (such as a search attribute registered with another type) is final.
	for {
		err := temporalsetup.EnsureSearchAttributes(ctx, c, namespace)
		if err == nil {
			err = probeServices(ctx, c)
		}
		switch {
		case err == nil:
			return nil
		case !temporalsetup.Transient(err):
			return fmt.Errorf("devstack: %w", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("devstack: namespace %q not ready: %w (last error: %v)", namespace, ctx.Err(), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// probeServices makes one call that the frontend forwards to matching and
// one it forwards to history, so Start returns only when a worker can poll and
// a workflow can start, not merely when the frontend is up.
func probeServices(ctx context.Context, c client.Client) error {
	if _, err := c.DescribeTaskQueue(ctx, probeName, enumspb.TASK_QUEUE_TYPE_WORKFLOW); err != nil {
		return err
	}
	_, err := c.DescribeWorkflowExecution(ctx, probeName, "")
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return nil // history answered: there is no such workflow
	}
	return err
}

// FrontendAddr is the host:port clients dial; with port 0 in Options it is
// the port actually chosen.
func (s *Server) FrontendAddr() string { return s.frontendAddr }

// UIURL is the Web UI's base URL, such as "http://127.0.0.1:8233", or "" when
// the UI is off.
func (s *Server) UIURL() string { return s.uiURL }

// Stop shuts the UI and every Temporal service down; later calls do nothing.
// The database file stays consistent whether or not Stop runs.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		s.stopping.Store(true)
		if s.ui != nil {
			s.ui.Stop()
		}
		if s.client != nil {
			s.client.Close()
		}
		if err := s.temporal.Stop(); err != nil {
			s.logger.Warn("devstack: temporal server did not stop cleanly", "error", err)
		}
		s.lock.release()
	})
}
