package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/internal/config"
	"github.com/loanflow/loanflow/internal/encryption"
	"github.com/loanflow/loanflow/internal/frontends"
	"github.com/loanflow/loanflow/internal/gateway"
	"github.com/loanflow/loanflow/internal/integrations"
	"github.com/loanflow/loanflow/internal/metrics"
	"github.com/loanflow/loanflow/internal/ratelimit"
	"github.com/loanflow/loanflow/internal/telemetry"
	"github.com/loanflow/loanflow/internal/temporalsetup"
	"github.com/loanflow/loanflow/internal/webhook"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
	"github.com/loanflow/loanflow/worker"
)

// signalContext is cancelled by SIGINT or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func openStore(ctx context.Context, cfg config.Config, migrate bool) (*models.Store, error) {
	store, err := models.Open(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", cfg.RedactedDatabaseURL(), err)
	}
	if migrate {
		if err := store.Migrate(ctx); err != nil {
			store.Close()
			return nil, fmt.Errorf("migrate: %w", err)
		}
	}
	return store, nil
}

// dialTemporal is the one way this binary connects to Temporal: over TLS
// and with credentials when sec asks, every payload it writes encrypted
// with keys, and workers built on the client inherit its converters,
// metrics and tracing (tel; nil for a short-lived command).
func dialTemporal(ctx context.Context, logger *slog.Logger, addr, namespace string, sec config.TemporalSecurity, keys *encryption.Keys, tel *telemetry.Telemetry) (client.Client, error) {
	conv := encryption.NewConverters(keys)
	opts := client.Options{
		HostPort:         addr,
		Namespace:        namespace,
		Logger:           sdklog.NewStructuredLogger(logger.With("component", "temporal-client")),
		DataConverter:    conv.Data,
		FailureConverter: conv.Failure,
	}
	if err := sec.Apply(&opts); err != nil {
		return nil, err
	}
	if tel != nil {
		if err := tel.TemporalOptions(&opts); err != nil {
			return nil, err
		}
	}
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("dial Temporal at %s: %w", addr, err)
	}
	return c, nil
}

// serveHTTP runs the API until ctx is done, then drains for up to 10 s.
func serveHTTP(ctx context.Context, logger *slog.Logger, addr string, h http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("API listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// runtime is what serve, worker and dev share.
type runtime struct {
	cfg    config.Config
	store  *models.Store
	client client.Client
	keys   *encryption.Keys
	logger *slog.Logger
	// dev: the embedded stack of `loanflow dev`.
	dev bool
}

// production opens what serve and worker share: the configuration, the
// payload keys, the telemetry, the database and the Temporal client. close
// releases them.
func production(ctx context.Context, logger *slog.Logger, process string) (rt runtime, close func(), err error) {
	rt.logger = logger
	if rt.cfg, err = config.Load(false); err == nil {
		err = rt.cfg.RequireTemporal()
	}
	if err == nil {
		rt.keys, err = payloadKeys(rt.cfg, false)
	}
	if err != nil {
		return rt, nil, err
	}
	tel, stopTelemetry, err := observe(ctx, rt.cfg, logger, process)
	if err != nil {
		return rt, nil, err
	}
	if rt.store, err = openStore(ctx, rt.cfg, false); err != nil {
		stopTelemetry()
		return rt, nil, err
	}
	if rt.client, err = dialTemporal(ctx, logger, rt.cfg.TemporalAddress, rt.cfg.TemporalNamespace, rt.cfg.TemporalSecurity, rt.keys, tel); err != nil {
		rt.store.Close()
		stopTelemetry()
		return rt, nil, err
	}
	return rt, func() { rt.client.Close(); rt.store.Close(); stopTelemetry() }, nil
}

// runProduction runs process in the production runtime until a signal ends ctx.
func runProduction(logger *slog.Logger, process string, run func(ctx context.Context, rt runtime) error) error {
	ctx, stop := signalContext()
	defer stop()
	rt, closeAll, err := production(ctx, logger, process)
	if err != nil {
		return err
	}
	defer closeAll()
	return run(ctx, rt)
}

func runServe(logger *slog.Logger) error {
	return runProduction(logger, "serve", func(ctx context.Context, rt runtime) error {
		// Admins edit products here: one that cannot be booked is refused
		// at start, as an edit making it so would be.
		if err := service.CheckLedgerProducts(ctx, rt.store, rt.cfg.LedgerProducts); err != nil {
			return err
		}
		handler, err := rt.router(ctx, rt.cfg.TemporalUIURL)
		if err != nil {
			return err
		}
		return serveHTTP(ctx, logger, rt.cfg.HTTPAddr, handler)
	})
}

func runWorker(logger *slog.Logger) error {
	return runProduction(logger, "worker", func(ctx context.Context, rt runtime) error {
		providers, err := integrations.Build(providerConfig(rt.cfg), integrations.Options{Logger: logger})
		if err != nil {
			return err
		}
		defer providers.Close()
		if err := service.CheckLedgerProducts(ctx, rt.store, providers.Ledgers.Products); err != nil {
			return err
		}
		w, err := startWorker(ctx, rt, providers)
		if err != nil {
			return err
		}
		logger.Info("worker polling", "task_queue", "loanflow", "namespace", rt.cfg.TemporalNamespace)
		<-ctx.Done()
		w.Stop()
		return nil
	})
}

// providerConfig is the providers' endpoints from the environment, with
// the settings config read and checked.
func providerConfig(cfg config.Config) integrations.Config {
	pc := integrations.FromEnv()
	pc.LedgerProducts, pc.WebMoneyLocation = cfg.LedgerProducts, cfg.WebMoneyLocation
	return pc
}

// startWorker runs the workflows, and the activities of providers against
// rt's store; with WebMoney configured, also its feed, and the schedule
// that polls it. It wakes the delivery of every partner with webhooks left
// undelivered, so none waits for the partner's next event.
func startWorker(ctx context.Context, rt runtime, providers *integrations.Set) (sdkworker.Worker, error) {
	sizeWorkflowCache(rt.cfg)
	wh, err := rt.webhooks()
	if err != nil {
		return nil, err
	}
	kicker := gateway.NewTemporal(rt.client, rt.cfg.TemporalNamespace)
	side := worker.Side{Webhooks: &activities.Webhooks{Store: rt.store, Secrets: wh.Secrets, Sender: webhook.NewSender(wh.Policy)}}
	if providers.WebMoney != nil {
		side.WebMoney = &activities.WebMoney{Client: providers.WebMoney, Store: rt.store}
	}
	w := worker.New(rt.client, &activities.Activities{Store: rt.store, Ledgers: providers.Ledgers, Lenders: providers.Lenders, Webhooks: kicker}, side)
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("worker: %w", err)
	}
	if side.WebMoney != nil {
		if err := temporalsetup.EnsureWebMoneySchedule(ctx, rt.client, time.Hour); err != nil {
			w.Stop()
			return nil, fmt.Errorf("WebMoney schedule: %w", err)
		}
	}
	if partners, err := rt.store.PartnersWithPendingWebhooks(ctx); err != nil {
		rt.logger.Warn("webhooks left undelivered not looked for", "error", err)
	} else {
		for _, p := range partners {
			if err := kicker.KickWebhooks(ctx, p); err != nil {
				rt.logger.Warn("webhook delivery not woken", "partner_id", p, "error", err)
			}
		}
	}
	return w, nil
}

// sizeWorkflowCache applies LOANFLOW_WORKFLOW_CACHE_SIZE. The SDK's cache
// of workflows is process-wide and sized when the process's first worker
// starts: under `loanflow dev` that is one of the embedded server's own, so
// dev sizes it before it starts the server.
func sizeWorkflowCache(cfg config.Config) {
	sdkworker.SetStickyWorkflowCacheSize(cfg.WorkflowCacheSize)
}

// webhooks is how the deployment's processes seal and send webhooks: the
// signing secrets sealed under keys derived from the payload keys, and
// plain-http, private endpoints accepted only in dev.
func (rt runtime) webhooks() (service.WebhookDeps, error) {
	primary, byID := rt.keys.DeriveEach("webhook secrets")
	secrets, err := webhook.NewSecrets(primary, byID)
	if err != nil {
		return service.WebhookDeps{}, err
	}
	return service.WebhookDeps{Secrets: secrets, Policy: webhook.Policy{Dev: rt.dev}}, nil
}

// router is the API of every runtime shape. uiURL links loans to their
// workflows in the Temporal UI ("" when unknown); the UI may call the payload
// codec from its origin. Until ctx ends it also sweeps for loans whose
// workflow never started.
func (rt runtime) router(ctx context.Context, uiURL string) (http.Handler, error) {
	if rt.cfg.LegacyProxyTrust {
		rt.logger.Warn("LOANFLOW_TRUST_PROXY_HEADERS is deprecated: set LOANFLOW_TRUSTED_PROXIES to your load balancers' addresses",
			"trusted_proxies", rt.cfg.TrustedProxies.String())
	}
	wh, err := rt.webhooks()
	if err != nil {
		return nil, err
	}
	svc := service.New(service.Deps{
		Store: rt.store, Engine: gateway.NewTemporal(rt.client, rt.cfg.TemporalNamespace,
			gateway.WithDataConverter(encryption.NewConverters(rt.keys).Data), gateway.WithConsoleURL(rt.cfg.ConsoleURL)),
		Now: time.Now, ApprovalTTL: rt.cfg.ApprovalTTL, Logger: rt.logger,
		SecretKey: rt.keys.Derive("update ids"), LedgerProducts: rt.cfg.LedgerProducts,
		PartnerLimit: ratelimit.Limit{Rate: rt.cfg.PartnerRate, Burst: rt.cfg.PartnerBurst},
		Webhooks:     wh,
	})
	go svc.SweepOrphans(ctx)
	if rt.cfg.MetricsAddr != "" {
		// The API processes serve the portfolio gauge; workers would only
		// repeat the same database figure.
		if err := metrics.RegisterPortfolio(rt.store.LoansByDelinquencyBucket, rt.logger); err != nil {
			rt.logger.Warn("loans-by-bucket metric not served", "error", err)
		}
	}
	return frontends.Router(svc, frontends.Options{
		Store: rt.store, ApprovalSLA: rt.cfg.ApprovalTTL,
		TemporalUIURL: uiURL, TemporalNamespace: rt.cfg.TemporalNamespace, TrustedProxies: rt.cfg.TrustedProxies,
		PayloadCodec: encryption.NewCodec(rt.keys), CodecOrigin: origin(uiURL),
	}), nil
}

func runMigrate(logger *slog.Logger) error {
	return runWithStore(true, func(ctx context.Context, cfg config.Config, _ *models.Store) error {
		logger.Info("database migrated", "database", cfg.RedactedDatabaseURL())
		if cfg.TemporalAddress == "" {
			logger.Info("LOANFLOW_TEMPORAL_ADDRESS not set: Temporal namespace not prepared")
			return nil
		}
		keys, err := payloadKeys(cfg, false)
		if err != nil {
			return err
		}
		c, err := dialTemporal(ctx, logger, cfg.TemporalAddress, cfg.TemporalNamespace, cfg.TemporalSecurity, keys, nil)
		if err != nil {
			return err
		}
		defer c.Close()
		// A new namespace takes a few seconds to reach every frontend.
		nsCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		created, err := temporalsetup.PrepareNamespace(nsCtx, c, cfg.TemporalNamespace, cfg.TemporalRetention)
		if err != nil {
			return fmt.Errorf("prepare Temporal namespace: %w", err)
		}
		if created {
			logger.Info("Temporal namespace created", "namespace", cfg.TemporalNamespace, "retention", cfg.TemporalRetention)
		}
		logger.Info("search attributes registered", "namespace", cfg.TemporalNamespace)
		return nil
	})
}

// runWithStore runs run with the configured store, migrated first if migrate asks, until a signal
// ends ctx.
func runWithStore(migrate bool, run func(ctx context.Context, cfg config.Config, store *models.Store) error) error {
	cfg, err := config.Load(false)
	if err != nil {
		return err
	}
	ctx, stop := signalContext()
	defer stop()
	store, err := openStore(ctx, cfg, migrate)
	if err != nil {
		return err
	}
	defer store.Close()
	return run(ctx, cfg, store)
}
