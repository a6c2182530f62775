package fineract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers"
)

// Provider names this integration in *providers.Error.
const Provider = "fineract"

// Wire conventions: every date goes out as yyyy-MM-dd with locale "en", the combination the API
// documents for ISO dates (L50-52), so no month names depend on a locale.
const (
	Locale     = "en"
	DateFormat = "yyyy-MM-dd"
	dateLayout = "2006-01-02"
)

// Tenant headers: the documented one and the one current Fineract reads.
const (
	HeaderTenant       = "Fineract-Platform-TenantId"
	HeaderTenantLegacy = "X-Mifos-Platform-TenantId"
)

// maxBody bounds what is read from an answer; a loan with its schedule and transactions is far smaller.
const maxBody = 8 << 20

// Config locates a Fineract tenant. BaseURL includes the API root, e.g.
// https://fineract.example.com/fineract-provider/api/v1 (some installations serve /api/v1).
type Config struct {
	BaseURL  string
	Tenant   string
	Username string
	Password string
	// HTTPClient defaults to a client with a 30 s timeout.
	HTTPClient *http.Client
	// Logger receives one debug record per call with personal data masked; nil discards them.
	Logger *slog.Logger
}

// Client calls one Fineract tenant. It is safe for concurrent use.
type Client struct {
	base     *url.URL
	tenant   string
	username string
	password string
	hc       *http.Client
	log      *slog.Logger
}

// New checks cfg and returns a client. Credentials written into BaseURL are moved out of it, so the URL
// can appear in errors and logs.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("fineract: base URL %q must be an absolute http(s) URL", cfg.BaseURL)
	}
	if u.User != nil {
		if cfg.Username == "" {
			cfg.Username = u.User.Username()
			cfg.Password, _ = u.User.Password()
		}
		u.User = nil
	}
	if cfg.Tenant == "" {
		return nil, errors.New("fineract: tenant is required")
	}
	if cfg.Username == "" {
		return nil, errors.New("fineract: username is required")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Client{base: u, tenant: cfg.Tenant, username: cfg.Username, password: cfg.Password, hc: hc, log: log}, nil
}

// call is one request: op names it in errors, path is relative to the base URL.
type call struct {
	op     string
	method string
	path   string
	query  url.Values
	body   any
}

// write reports whether the call changes Fineract's state, which makes a failure after sending ambiguous.
func (cl call) write() bool { return cl.method != http.MethodGet }

// do sends cl and decodes a 2xx answer into out (unless out is nil); any other outcome is a
// *providers.Error.
func (c *Client) do(ctx context.Context, cl call, out any) error {
	target := c.base.JoinPath(cl.path)
	target.RawQuery = cl.query.Encode()
	var reqBody []byte
	var body io.Reader
	if cl.body != nil {
		var err error
		if reqBody, err = json.Marshal(cl.body); err != nil {
			return &providers.Error{Provider: Provider, Op: cl.op, Code: "request", Message: err.Error(), Err: err}
		}
		body = bytes.NewReader(reqBody)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target.String(), body)
	if err != nil {
		return &providers.Error{Provider: Provider, Op: cl.op, Code: "request", Message: err.Error(), Err: err}
	}
	req.SetBasicAuth(c.username, c.password)
	req.Header.Set(HeaderTenant, c.tenant)
	req.Header.Set(HeaderTenantLegacy, c.tenant)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	resp, sent, err := providers.Send(c.hc, req)
	if err != nil {
		c.log.DebugContext(ctx, "fineract call failed", "op", cl.op, "method", cl.method, "path", cl.path,
			"duration", time.Since(start), "sent", sent, "error", err, "request", providers.MaskJSON(reqBody))
		return providers.TransportError(Provider, cl.op, err, sent, cl.write())
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	c.log.DebugContext(ctx, "fineract call", "op", cl.op, "method", cl.method, "path", cl.path,
		"status", resp.StatusCode, "duration", time.Since(start),
		"request", providers.MaskJSON(reqBody), "response", providers.MaskJSON(respBody))
	if err != nil {
		if resp.StatusCode/100 == 2 {
			return providers.BadResponseError(Provider, cl.op, resp.StatusCode, err, cl.write())
		}
		return providers.TransportError(Provider, cl.op, err, true, cl.write())
	}
	if resp.StatusCode/100 != 2 {
		return statusError(cl.op, resp.StatusCode, respBody, cl.write())
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(respBody, out); err != nil {
		return providers.BadResponseError(Provider, cl.op, resp.StatusCode, fmt.Errorf("decode answer: %w", err), cl.write())
	}
	return nil
}

func formatDate(t time.Time) string { return t.Format(dateLayout) }

// amount renders d as a JSON number literal; json.Number keeps every digit, where float64 would not.
func amount(d decimal.Decimal) json.Number { return json.Number(d.String()) }
