// Package config reads loanflow's settings from environment variables, the
// one place their names and defaults are written down.
package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	// The WebMoney feed's zone is read by name; the binary carries the
	// zone database so a container without one still knows Europe/Moscow.
	_ "time/tzdata"

	"github.com/loanflow/loanflow/internal/trustedproxy"
	"github.com/loanflow/loanflow/lending"
)

// DefaultWorkflowCacheSize is LOANFLOW_WORKFLOW_CACHE_SIZE's default.
const DefaultWorkflowCacheSize = 100

// Config is every setting of every subcommand.
type Config struct {
	HTTPAddr          string        // LOANFLOW_HTTP_ADDR
	DatabaseURL       string        // LOANFLOW_DATABASE_URL: postgres://… or an SQLite file path
	TemporalAddress   string        // LOANFLOW_TEMPORAL_ADDRESS: empty in dev = embedded
	TemporalNamespace string        // LOANFLOW_TEMPORAL_NAMESPACE
	TemporalUIAddr    string        // LOANFLOW_TEMPORAL_UI_ADDR (dev)
	DevTemporalAddr   string        // LOANFLOW_DEV_TEMPORAL_ADDR (dev)
	DataDir           string        // LOANFLOW_DATA_DIR
	ApprovalTTL       time.Duration // LOANFLOW_APPROVAL_TTL
	// TemporalUIURL is the Temporal UI's public base URL, for links from the
	// back office (LOANFLOW_TEMPORAL_UI_URL; dev: the embedded UI).
	TemporalUIURL string
	// ConsoleURL is the back-office console's public base URL, for the link
	// from each loan's workflow in the Temporal UI to the loan's page
	// (LOANFLOW_CONSOLE_URL; dev: the API's address).
	ConsoleURL string
	// TrustedProxies are the load balancers whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (LOANFLOW_TRUSTED_PROXIES).
	TrustedProxies trustedproxy.List
	// LegacyProxyTrust: TrustedProxies are trustedproxy.Private because
	// only the deprecated LOANFLOW_TRUST_PROXY_HEADERS=true is set.
	LegacyProxyTrust bool
	// TemporalRetention is how long a namespace `loanflow migrate` creates
	// keeps closed workflows' histories (LOANFLOW_TEMPORAL_RETENTION).
	TemporalRetention time.Duration
	// PayloadKeys encrypt Temporal payloads (LOANFLOW_PAYLOAD_KEYS,
	// "id:base64key,…": the first encrypts, all decrypt). Empty in dev
	// means the key file in the data dir.
	PayloadKeys string
	// MetricsAddr is where /metrics listens (LOANFLOW_METRICS_ADDR); empty:
	// no metrics listener.
	MetricsAddr string
	// WorkflowCacheSize is how many loans' workflows a worker process keeps
	// in memory between their tasks (LOANFLOW_WORKFLOW_CACHE_SIZE). A loan
	// out of the cache is rebuilt by replaying its history when it next
	// has work: less memory, more CPU. A loan lives for years and has work
	// a few times a month, so only the loans in flight need to stay: the
	// default is a few times the concurrency a worker serves, not the SDK's
	// 10,000 (about 120 kB each).
	WorkflowCacheSize int
	// PartnerRate and PartnerBurst are the request limit of a partner
	// without its own, in requests per second and requests at once
	// (LOANFLOW_PARTNER_RATE, LOANFLOW_PARTNER_BURST).
	PartnerRate  float64
	PartnerBurst int
	// TemporalSecurity is the TLS and credentials of the connection to
	// LOANFLOW_TEMPORAL_ADDRESS.
	TemporalSecurity TemporalSecurity
	// LedgerProducts are the ledger products loans are booked under when
	// their product names none (LOANFLOW_FINERACT_PRODUCT_ID, a Fineract
	// loan product id, and LOANFLOW_MAMBU_PRODUCT_KEY, a Mambu product's
	// encodedKey); unset, every product booked in that ledger must name
	// its own.
	LedgerProducts lending.LedgerProducts
	// WebMoneyLocation is the zone the WebMoney Debt feed writes its
	// times in (LOANFLOW_WEBMONEY_TIMEZONE, an IANA name; default
	// Europe/Moscow): its document gives times without a zone.
	WebMoneyLocation *time.Location
}

// Logging is LOANFLOW_LOG_LEVEL and LOANFLOW_LOG_FORMAT, read before
// anything else so that every error, a configuration error too, is logged
// the way the operator asked.
func Logging() (level, format string) {
	return os.Getenv("LOANFLOW_LOG_LEVEL"), os.Getenv("LOANFLOW_LOG_FORMAT")
}

// Load reads the environment. dev selects the defaults of `loanflow dev`
// (an SQLite database inside the data directory).
func Load(dev bool) (Config, error) {
	// Production processes listen on every interface (a container's);
	// `loanflow dev`, with its demo passwords, on loopback unless
	// LOANFLOW_DEV_LISTEN opens it.
	host := ""
	if dev {
		host = env("LOANFLOW_DEV_LISTEN", "127.0.0.1")
		if net.ParseIP(host) == nil {
			return Config{}, fmt.Errorf("LOANFLOW_DEV_LISTEN: want an IP address such as 127.0.0.1 or 0.0.0.0, got %q", host)
		}
	}
	at := func(port string) string { return net.JoinHostPort(host, port) }
	c := Config{
		HTTPAddr:          env("LOANFLOW_HTTP_ADDR", at("8080")),
		DatabaseURL:       os.Getenv("LOANFLOW_DATABASE_URL"),
		TemporalAddress:   os.Getenv("LOANFLOW_TEMPORAL_ADDRESS"),
		TemporalNamespace: env("LOANFLOW_TEMPORAL_NAMESPACE", "default"),
		TemporalUIAddr:    env("LOANFLOW_TEMPORAL_UI_ADDR", at("8233")),
		DevTemporalAddr:   env("LOANFLOW_DEV_TEMPORAL_ADDR", at("7233")),
		DataDir:           env("LOANFLOW_DATA_DIR", ".loanflow"),
		TemporalUIURL:     os.Getenv("LOANFLOW_TEMPORAL_UI_URL"),
		ConsoleURL:        os.Getenv("LOANFLOW_CONSOLE_URL"),
		PayloadKeys:       os.Getenv("LOANFLOW_PAYLOAD_KEYS"),
		MetricsAddr:       os.Getenv("LOANFLOW_METRICS_ADDR"),
	}
	if err := c.loadTrustedProxies(); err != nil {
		return c, err
	}
	sec, err := loadTemporalSecurity()
	if err != nil {
		return c, err
	}
	c.TemporalSecurity = sec
	ttl, err := time.ParseDuration(env("LOANFLOW_APPROVAL_TTL", "168h"))
	if err != nil || ttl <= 0 {
		return c, fmt.Errorf("LOANFLOW_APPROVAL_TTL: want a positive duration such as 168h, got %q", os.Getenv("LOANFLOW_APPROVAL_TTL"))
	}
	c.ApprovalTTL = ttl
	// Temporal refuses a retention under a day.
	retention, err := time.ParseDuration(env("LOANFLOW_TEMPORAL_RETENTION", "720h"))
	if err != nil || retention < 24*time.Hour {
		return c, fmt.Errorf("LOANFLOW_TEMPORAL_RETENTION: want a duration of at least 24h such as 720h (30 days), got %q", os.Getenv("LOANFLOW_TEMPORAL_RETENTION"))
	}
	c.TemporalRetention = retention
	cache, err := strconv.Atoi(env("LOANFLOW_WORKFLOW_CACHE_SIZE", strconv.Itoa(DefaultWorkflowCacheSize)))
	if err != nil || cache < 1 {
		return c, fmt.Errorf("LOANFLOW_WORKFLOW_CACHE_SIZE: want a positive number of workflows such as 100, got %q", os.Getenv("LOANFLOW_WORKFLOW_CACHE_SIZE"))
	}
	c.WorkflowCacheSize = cache
	if c.LedgerProducts, err = loadLedgerProducts(); err != nil {
		return c, err
	}
	zone := env("LOANFLOW_WEBMONEY_TIMEZONE", "Europe/Moscow")
	if c.WebMoneyLocation, err = time.LoadLocation(zone); err != nil || zone == "Local" {
		return c, fmt.Errorf("LOANFLOW_WEBMONEY_TIMEZONE: want an IANA time zone such as Europe/Moscow, got %q", zone)
	}
	if err := c.loadPartnerLimit(); err != nil {
		return c, err
	}
	if c.DatabaseURL == "" {
		if !dev {
			return c, fmt.Errorf("LOANFLOW_DATABASE_URL is required (postgres://user@host/db or an SQLite file path)")
		}
		c.DatabaseURL = filepath.Join(c.DataDir, "loanflow.db")
	}
	return c, nil
}

// loadLedgerProducts reads the deployment's default ledger products.
func loadLedgerProducts() (lending.LedgerProducts, error) {
	var p lending.LedgerProducts
	if v := strings.TrimSpace(os.Getenv("LOANFLOW_FINERACT_PRODUCT_ID")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return p, fmt.Errorf("LOANFLOW_FINERACT_PRODUCT_ID: want the id of a Fineract loan product, a positive whole number, got %q", v)
		}
		p.FineractProductID = id
	}
	if v := os.Getenv("LOANFLOW_MAMBU_PRODUCT_KEY"); v != "" {
		if !lending.ValidMambuProductKey(v) {
			return p, fmt.Errorf("LOANFLOW_MAMBU_PRODUCT_KEY: want the encodedKey of a Mambu loan product (letters and digits), got %q", v)
		}
		p.MambuProductKey = v
	}
	return p, nil
}

// loadPartnerLimit reads LOANFLOW_PARTNER_RATE and LOANFLOW_PARTNER_BURST.
// The defaults admit any partner's real traffic (a person at a counter
// makes a few calls a minute) and stop a runaway client.
func (c *Config) loadPartnerLimit() error {
	r, err := strconv.ParseFloat(env("LOANFLOW_PARTNER_RATE", "20"), 64)
	if err != nil || !(r > 0 && r <= 1e6) {
		return fmt.Errorf("LOANFLOW_PARTNER_RATE: want requests per second above 0 such as 20 or 0.5, got %q", os.Getenv("LOANFLOW_PARTNER_RATE"))
	}
	b, err := strconv.Atoi(env("LOANFLOW_PARTNER_BURST", "40"))
	if err != nil || b < 1 {
		return fmt.Errorf("LOANFLOW_PARTNER_BURST: want a positive number of requests such as 40, got %q", os.Getenv("LOANFLOW_PARTNER_BURST"))
	}
	c.PartnerRate, c.PartnerBurst = r, b
	return nil
}

// loadTrustedProxies reads LOANFLOW_TRUSTED_PROXIES. Without it,
// LOANFLOW_TRUST_PROXY_HEADERS=true (from before the list existed, when any
// peer's headers were believed) still works, as the loopback and private
// networks: the documented load balancer sits on one, and a peer on the
// internet can no longer forge its address.
func (c *Config) loadTrustedProxies() error {
	if v := os.Getenv("LOANFLOW_TRUSTED_PROXIES"); strings.TrimSpace(v) != "" {
		l, err := trustedproxy.Parse(v)
		if err != nil {
			return fmt.Errorf("LOANFLOW_TRUSTED_PROXIES: %w", err)
		}
		c.TrustedProxies = l
		return nil
	}
	if os.Getenv("LOANFLOW_TRUST_PROXY_HEADERS") == "true" {
		c.TrustedProxies, c.LegacyProxyTrust = trustedproxy.Private(), true
	}
	return nil
}

// RequireTemporal reports the missing Temporal address of a production
// process (serve, worker).
func (c Config) RequireTemporal() error {
	if c.TemporalAddress == "" {
		return fmt.Errorf("LOANFLOW_TEMPORAL_ADDRESS is required (host:port of the Temporal frontend)")
	}
	return nil
}

// RedactedDatabaseURL is the database URL without its password, for logs:
// the user-info password and any password query parameter are masked.
func (c Config) RedactedDatabaseURL() string {
	u, err := url.Parse(c.DatabaseURL)
	if err != nil || u.Scheme == "" {
		if strings.Contains(c.DatabaseURL, "://") {
			return "(unparsable database URL)"
		}
		return c.DatabaseURL // an SQLite path
	}
	q := u.Query()
	for key := range q {
		if strings.EqualFold(key, "password") {
			q.Set(key, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	return u.Redacted()
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
