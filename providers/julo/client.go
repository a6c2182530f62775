package julo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/loanflow/loanflow/providers"
)

// Provider names this integration in *providers.Error.
const Provider = "julo"

// Authentication headers JULO reads on every request.
const (
	HeaderSecretKey = "secret-key"
	HeaderUsername  = "username"
)

// apiPrefix is the root of the partnership endpoints.
const apiPrefix = "/api/partnership/v1"

const maxBody = 8 << 20

// Config holds the partner credentials JULO issues per environment and the environment's base URL,
// e.g. https://api-staging.julofinance.com.
type Config struct {
	BaseURL   string
	Username  string
	SecretKey string
	// HTTPClient defaults to a client with a 30 s timeout.
	HTTPClient *http.Client
	// Logger receives one debug record per call, bodies with personal data masked; nil discards.
	Logger *slog.Logger
}

// Client calls the JULO partnership API. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	username  string
	secretKey string
	hc        *http.Client
	log       *slog.Logger
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("julo: base URL %q must be an absolute http(s) URL", cfg.BaseURL)
	}
	if cfg.Username == "" || cfg.SecretKey == "" {
		return nil, errors.New("julo: username and secret key are required")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Client{base: u, username: cfg.Username, secretKey: cfg.SecretKey, hc: hc, log: log}, nil
}

// envelope is every JULO answer.
type envelope struct {
	Success bool            `json:"success"`
	Data    json.RawMessage `json:"data"`
	Errors  []string        `json:"errors"`
}

// call is one request; body is JSON unless form is set (multipart).
type call struct {
	op     string
	method string
	path   string
	body   any
	form   *multipartBody
}

func (cl call) write() bool { return cl.method != http.MethodGet }

type multipartBody struct {
	fields map[string]string
	field  string // the file's field name
	file   File
}

// do sends cl and decodes the data of a successful envelope into out (unless out is nil).
func (c *Client) do(ctx context.Context, cl call, out any) error {
	var reqBody []byte
	contentType := "application/json"
	if cl.form != nil {
		var err error
		if reqBody, contentType, err = cl.form.encode(); err != nil {
			return &providers.Error{Provider: Provider, Op: cl.op, Code: CodeRequest, Message: err.Error(), Err: err}
		}
	} else if cl.body != nil {
		var err error
		if reqBody, err = json.Marshal(cl.body); err != nil {
			return &providers.Error{Provider: Provider, Op: cl.op, Code: CodeRequest, Message: err.Error(), Err: err}
		}
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, c.base.JoinPath(apiPrefix, cl.path).String(), bytes.NewReader(reqBody))
	if err != nil {
		return &providers.Error{Provider: Provider, Op: cl.op, Code: CodeRequest, Message: err.Error(), Err: err}
	}
	req.Header.Set(HeaderSecretKey, c.secretKey)
	req.Header.Set(HeaderUsername, c.username)
	req.Header.Set("Accept", "application/json")
	if len(reqBody) > 0 {
		req.Header.Set("Content-Type", contentType)
	}

	start := time.Now()
	resp, sent, err := providers.Send(c.hc, req)
	if err != nil {
		c.log.DebugContext(ctx, "julo call failed", "op", cl.op, "method", cl.method, "path", cl.path,
			"duration", time.Since(start), "sent", sent, "error", err, "request", c.masked(ctx, cl, reqBody))
		return providers.TransportError(Provider, cl.op, err, sent, cl.write())
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	c.log.DebugContext(ctx, "julo call", "op", cl.op, "method", cl.method, "path", cl.path, "status", resp.StatusCode,
		"duration", time.Since(start), "request", c.masked(ctx, cl, reqBody), "response", c.masked(ctx, call{}, respBody))
	if err != nil {
		if resp.StatusCode/100 == 2 {
			return providers.BadResponseError(Provider, cl.op, resp.StatusCode, err, cl.write())
		}
		return providers.TransportError(Provider, cl.op, err, true, cl.write())
	}

	var env envelope
	decodeErr := json.Unmarshal(respBody, &env)
	if resp.StatusCode/100 != 2 {
		msg := ""
		if decodeErr == nil {
			msg = strings.Join(env.Errors, "; ")
		}
		return statusError(cl.op, resp.StatusCode, msg, cl.write())
	}
	if decodeErr != nil {
		return providers.BadResponseError(Provider, cl.op, resp.StatusCode, fmt.Errorf("unreadable envelope: %w", decodeErr), cl.write())
	}
	if !env.Success {
		// A refusal delivered with a 2xx status still is a refusal.
		return statusError(cl.op, http.StatusBadRequest, strings.Join(env.Errors, "; "), false)
	}
	if out != nil {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return providers.BadResponseError(Provider, cl.op, resp.StatusCode, fmt.Errorf("unreadable data: %w", err), cl.write())
		}
	}
	return nil
}

// masked renders a body for the debug log: JSON with personal data masked, a multipart upload by size.
func (c *Client) masked(ctx context.Context, cl call, body []byte) string {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return ""
	}
	if cl.form != nil {
		return fmt.Sprintf("<multipart, %d bytes>", len(body))
	}
	return maskJSON(body)
}

func (m *multipartBody) encode() ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range m.fields {
		if err := mw.WriteField(k, v); err != nil {
			return nil, "", err
		}
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, m.field, m.file.Name))
	ct := m.file.ContentType
	if ct == "" {
		ct = http.DetectContentType(m.file.Data)
	}
	h.Set("Content-Type", ct)
	w, err := mw.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := w.Write(m.file.Data); err != nil {
		return nil, "", err
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}
