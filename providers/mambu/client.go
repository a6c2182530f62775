package mambu

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
const Provider = "mambu"

// DefaultUserAgent identifies loanflow in the tenant's audit trail.
const DefaultUserAgent = "loanflow-mambu-client/1"

const (
	maxBody = 8 << 20
	// pageLimit is the largest page v1 serves (L104-113).
	pageLimit = 1000
)

// Config locates a Mambu tenant. BaseURL is the API root, e.g. https://TENANT.mambu.com/api. With
// APIKey set the key is sent in the apiKey header; otherwise Username and Password go as HTTP Basic.
type Config struct {
	BaseURL   string
	Username  string
	Password  string
	APIKey    string
	UserAgent string
	// HTTPClient defaults to a client with a 30 s timeout.
	HTTPClient *http.Client
	// Logger receives one debug record per call with personal data masked; nil discards them.
	Logger *slog.Logger
}

// Client calls one Mambu tenant. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	username  string
	password  string
	apiKey    string
	userAgent string
	hc        *http.Client
	log       *slog.Logger
}

// New checks cfg and returns a client. Credentials in BaseURL's userinfo (the doc's curl examples use
// https://user:pword@…, L145) are moved to Basic auth so the URL can be logged.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mambu: base URL %q must be an absolute http(s) URL", cfg.BaseURL)
	}
	if u.User != nil {
		if cfg.Username == "" {
			cfg.Username = u.User.Username()
			cfg.Password, _ = u.User.Password()
		}
		u.User = nil
	}
	if cfg.APIKey == "" && cfg.Username == "" {
		return nil, errors.New("mambu: an API key or a username is required")
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Client{base: u, username: cfg.Username, password: cfg.Password, apiKey: cfg.APIKey,
		userAgent: cfg.UserAgent, hc: hc, log: log}, nil
}

// call is one request: op names it in errors, path is relative to the base URL.
type call struct {
	op     string
	method string
	path   string
	query  url.Values
	body   any
}

func (cl call) write() bool { return cl.method != http.MethodGet }

// do sends cl and decodes a 2xx answer into out (unless out is nil or the body is empty); any other
// outcome is a *providers.Error.
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
	if c.apiKey != "" {
		req.Header.Set("apiKey", c.apiKey)
	} else {
		req.SetBasicAuth(c.username, c.password)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	resp, sent, err := providers.Send(c.hc, req)
	if err != nil {
		c.log.DebugContext(ctx, "mambu call failed", "op", cl.op, "method", cl.method, "path", cl.path,
			"duration", time.Since(start), "sent", sent, "error", err, "request", providers.MaskJSON(reqBody))
		return providers.TransportError(Provider, cl.op, err, sent, cl.write())
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	c.log.DebugContext(ctx, "mambu call", "op", cl.op, "method", cl.method, "path", cl.path,
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
	if out == nil || len(bytes.TrimSpace(respBody)) == 0 {
		return nil
	}
	if err := json.Unmarshal(respBody, out); err != nil {
		return providers.BadResponseError(Provider, cl.op, resp.StatusCode, fmt.Errorf("decode answer: %w", err), cl.write())
	}
	return nil
}

// list reads every page of a collection endpoint; v1 has no total count, so it stops at a short page.
func list[T any](ctx context.Context, c *Client, op, path string) ([]T, error) {
	var all []T
	for offset := 0; ; offset += pageLimit {
		var page []T
		q := url.Values{"offset": {fmt.Sprint(offset)}, "limit": {fmt.Sprint(pageLimit)}}
		if err := c.do(ctx, call{op: op, method: http.MethodGet, path: path, query: q}, &page); err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < pageLimit {
			return all, nil
		}
	}
}

const dateLayout = "2006-01-02"

func formatDate(t time.Time) string { return t.Format(dateLayout) }

// amount renders d as a JSON number literal without passing through float64.
func amount(d decimal.Decimal) json.Number { return json.Number(d.String()) }
