package providers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

const defaultMaxBody = 8 << 20

// CodeRequest is set when the request could not be built (an unencodable body, a malformed URL):
// nothing was sent.
const CodeRequest = "request"

var (
	defaultHTTPClient = &http.Client{Timeout: 30 * time.Second}
	discardLogger     = slog.New(slog.DiscardHandler)
)

// Caller makes one provider's HTTP calls. It owns what every client does the same way: the request
// built on the caller's context, sending it, a bounded read of the answer, and the classification of
// every failure into an *Error (Retryable, Ambiguous). What differs between providers is set on it:
// credentials and fixed headers, how an error answer reads, how bodies are masked in the log.
type Caller struct {
	// Provider names the integration in errors and log records.
	Provider string
	// HTTPClient sends the requests; its Timeout bounds a call. nil: a client with a 30 s timeout.
	HTTPClient *http.Client
	// Logger receives one debug record per call; nil discards them.
	Logger *slog.Logger
	// MaxBody bounds the answer read; zero means 8 MiB.
	MaxBody int64
	// Prepare adds the credentials and the headers every request carries.
	Prepare func(*http.Request)
	// MapError turns an answer that is not 2xx, with its body, into the provider's code and message
	// (StatusError holds the shared rules).
	MapError func(op string, status int, body []byte, write bool) *Error
	// Mask renders a request or answer body for the log with personal data and secrets hidden. nil keeps
	// bodies out of the log; a multipart request is logged by its size only, since it carries files.
	Mask func(body []byte) string
}

// Request is one call.
type Request struct {
	// Op names the call in errors and logs.
	Op     string
	Method string
	URL    string
	// Body is sent with ContentType when not nil.
	Body        []byte
	ContentType string
	// JSON, when not nil, is sent instead of Body, encoded as application/json.
	JSON any
	// Write marks a request that changes the provider's state: once it was sent, a failure leaves open
	// whether it was committed.
	Write bool
	// LogAttrs are added to the call's log record, as key-value pairs.
	LogAttrs []any
}

// Answer is a 2xx answer, read whole.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends r and returns its 2xx answer; every other outcome is an *Error. A 2xx answer that cannot be
// read whole is a BadResponseError: the request took effect, only its answer is lost.
func (c *Caller) Do(ctx context.Context, r Request) (*Answer, error) {
	if r.JSON != nil {
		b, err := json.Marshal(r.JSON)
		if err != nil {
			return nil, RequestError(c.Provider, r.Op, err)
		}
		r.Body, r.ContentType = b, "application/json"
	}
	req, err := c.newRequest(ctx, r)
	if err != nil {
		return nil, RequestError(c.Provider, r.Op, err)
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient
	}
	start := time.Now()
	resp, sent, err := send(hc, req)
	if err != nil {
		c.debug(ctx, req, r, "call failed", nil, "duration", time.Since(start), "sent", sent, "error", err)
		return nil, TransportError(c.Provider, r.Op, err, sent, r.Write)
	}
	defer resp.Body.Close()
	limit := c.MaxBody
	if limit == 0 {
		limit = defaultMaxBody
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	tooLong := int64(len(body)) > limit
	if tooLong {
		body = body[:limit]
	}
	c.debug(ctx, req, r, "call", body, "status", resp.StatusCode, "duration", time.Since(start))

	success := resp.StatusCode/100 == 2
	switch {
	case err != nil && success:
		return nil, BadResponseError(c.Provider, r.Op, resp.StatusCode, err, r.Write)
	case err != nil:
		return nil, TransportError(c.Provider, r.Op, err, true, r.Write)
	case !success:
		// The status decides the outcome; an error page past the limit still names the error.
		return nil, c.MapError(r.Op, resp.StatusCode, body, r.Write)
	case tooLong:
		return nil, BadResponseError(c.Provider, r.Op, resp.StatusCode, fmt.Errorf("answer longer than %d bytes", limit), r.Write)
	}
	return &Answer{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

func (c *Caller) newRequest(ctx context.Context, r Request) (*http.Request, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return nil, err
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	if r.Write && r.Method == http.MethodGet && body == nil {
		// Some providers make writes GETs (Iute's insert repayment). net/http silently re-sends a GET
		// whose kept-alive connection dies before the answer, which would book it twice; a body without
		// GetBody makes the request non-replayable, and the transport still sends no body since it is
		// empty.
		req.Body = io.NopCloser(bytes.NewReader(nil))
	}
	if c.Prepare != nil {
		c.Prepare(req)
	}
	return req, nil
}

// debug writes the call's log record: what was asked, attrs, then the bodies when a Mask is set.
// answer is nil when no answer arrived.
func (c *Caller) debug(ctx context.Context, req *http.Request, r Request, msg string, answer []byte, attrs ...any) {
	logger := c.Logger
	if logger == nil {
		logger = discardLogger
	}
	if !logger.Enabled(ctx, slog.LevelDebug) {
		return // masking costs a JSON round trip per body
	}
	// The path without the query, which may carry identifiers.
	args := append([]any{"op", r.Op, "method", r.Method, "path", req.URL.Path}, r.LogAttrs...)
	args = append(args, attrs...)
	if c.Mask != nil {
		args = append(args, "request", c.masked(r.ContentType, r.Body))
		if answer != nil {
			args = append(args, "response", c.Mask(answer))
		}
	}
	logger.DebugContext(ctx, c.Provider+" "+msg, args...)
}

func (c *Caller) masked(contentType string, body []byte) string {
	if mt, _, _ := mime.ParseMediaType(contentType); mt == "multipart/form-data" {
		return fmt.Sprintf("<multipart, %d bytes>", len(body))
	}
	return c.Mask(body)
}

// RequestError is a request that could not be built, so was never sent.
func RequestError(provider, op string, err error) *Error {
	return &Error{Provider: provider, Op: op, Code: CodeRequest, Message: err.Error(), Err: err}
}

// send performs req with hc and reports whether the request was completely written before the failure,
// which is what separates "never left" (safe to resend) from "may have been committed".
func send(hc *http.Client, req *http.Request) (resp *http.Response, sent bool, err error) {
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			wrote.Store(true)
		}
	}}
	resp, err = hc.Do(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	return resp, wrote.Load(), err
}
