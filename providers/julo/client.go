package julo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

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
	base   *url.URL
	caller *providers.Caller
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	u, err := providers.BaseURL(Provider, cfg.BaseURL, nil, nil)
	if err != nil {
		return nil, err
	}
	if cfg.Username == "" || cfg.SecretKey == "" {
		return nil, errors.New("julo: username and secret key are required")
	}
	caller := &providers.Caller{
		Provider: Provider, HTTPClient: cfg.HTTPClient, Logger: cfg.Logger,
		Prepare: func(req *http.Request) {
			req.Header.Set(HeaderSecretKey, cfg.SecretKey)
			req.Header.Set(HeaderUsername, cfg.Username)
			req.Header.Set("Accept", "application/json")
		},
		MapError: answerError,
		Mask:     maskJSON,
	}
	return &Client{base: u, caller: caller}, nil
}

// envelope is every JULO answer.
type envelope struct {
	Success bool            `json:"success"`
	Data    json.RawMessage `json:"data"`
	Errors  []string        `json:"errors"`
}

// call is one request; body is JSON unless files are set (multipart, with fields as its values).
type call struct {
	op     string
	method string
	path   string
	body   any
	fields url.Values
	files  []providers.FormFile
}

func (cl call) write() bool { return cl.method != http.MethodGet }

// do sends cl and decodes the data of a successful envelope into out (unless out is nil).
func (c *Client) do(ctx context.Context, cl call, out any) error {
	r := providers.Request{Op: cl.op, Method: cl.method, URL: c.base.JoinPath(apiPrefix, cl.path).String(), JSON: cl.body, Write: cl.write()}
	if cl.files != nil {
		var err error
		if r.Body, r.ContentType, err = providers.MultipartBody(cl.fields, cl.files); err != nil {
			return providers.RequestError(Provider, cl.op, err)
		}
	}
	a, err := c.caller.Do(ctx, r)
	if err != nil {
		return err
	}
	var env envelope
	if err := json.Unmarshal(a.Body, &env); err != nil {
		return providers.BadResponseError(Provider, cl.op, a.Status, fmt.Errorf("unreadable envelope: %w", err), cl.write())
	}
	if !env.Success {
		// A refusal delivered with a 2xx status still is a refusal.
		return statusError(cl.op, http.StatusBadRequest, strings.Join(env.Errors, "; "), false)
	}
	if out != nil {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return providers.BadResponseError(Provider, cl.op, a.Status, fmt.Errorf("unreadable data: %w", err), cl.write())
		}
	}
	return nil
}
