package iute

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/loanflow/loanflow/providers"
)

// Provider is the name carried by every error of this package.
const Provider = "iute"

// pathPrefix is where the partner API lives under the base URL (which may carry a context path such as
// "/iute", as in Iute's own samples).
const pathPrefix = "/rest/api/partner"

// maxBody bounds what is read from a response; agreements are the largest answers.
const maxBody = 32 << 20

// Config holds the partner credentials Iute issues and where to reach the API.
type Config struct {
	// BaseURL is the API root without the /rest/api/partner part, e.g. "https://crm.iute.md/iute".
	BaseURL     string
	Username    string
	Password    string
	PartnerType string
	// HTTPClient is used for every call; nil means a client with a 30-second timeout.
	HTTPClient *http.Client
	// Logger receives one debug line per call (operation, status, duration; never credentials or
	// personal data); nil discards.
	Logger *slog.Logger
}

// Client calls the Iute Partner API. It is safe for concurrent use.
type Client struct {
	base        *url.URL
	username    string
	password    string
	partnerType string
	hc          *http.Client
	log         *slog.Logger
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("iute: base URL %q must be an absolute http(s) URL", cfg.BaseURL)
	}
	if cfg.Username == "" || cfg.PartnerType == "" {
		return nil, errors.New("iute: username and partner type are required")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Client{base: u, username: cfg.Username, password: cfg.Password, partnerType: cfg.PartnerType, hc: hc, log: log}, nil
}

// call describes one API request. Exactly one of query (GET), form (url-encoded POST) and parts
// (multipart POST) is used, chosen by method and by whether parts is set.
type call struct {
	op     string
	method string
	path   string
	values url.Values
	files  []formFile
	// write marks a request that changes Iute's state, so a failure after sending it is ambiguous.
	write bool
	// multipart forces multipart/form-data even without files, as Iute's samples use for check status.
	multipart bool
}

// formFile is one file part of a multipart request.
type formFile struct {
	field string
	file  File
}

// reply is a 2xx answer.
type reply struct {
	header http.Header
	body   []byte
}

// do sends c with credentials and partner_type and turns every non-200 outcome into a *providers.Error.
func (c *Client) do(ctx context.Context, cl call) (*reply, error) {
	values := url.Values{}
	for k, v := range cl.values {
		values[k] = v
	}
	values.Set("partner_type", c.partnerType)

	req, err := c.newRequest(ctx, cl, values)
	if err != nil {
		return nil, newError(cl.op, 0, CodeRequest, err.Error())
	}
	req.SetBasicAuth(c.username, c.password)
	req.Header.Set("Accept", "application/xml, application/pdf, text/html")

	start := time.Now()
	resp, sent, err := providers.Send(c.hc, req)
	if err != nil {
		c.log.DebugContext(ctx, "iute call failed", "op", cl.op, "path", cl.path, "duration", time.Since(start), "error", err)
		return nil, providers.TransportError(Provider, cl.op, err, sent, cl.write)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	c.log.DebugContext(ctx, "iute call", "op", cl.op, "path", cl.path, "status", resp.StatusCode, "duration", time.Since(start))
	if err != nil {
		// The status line arrived but the answer was cut: the request was sent, so a write is ambiguous.
		return nil, providers.TransportError(Provider, cl.op, err, true, cl.write)
	}
	if resp.StatusCode/100 != 2 {
		return nil, statusError(cl.op, resp.StatusCode, body, cl.write)
	}
	return &reply{header: resp.Header, body: body}, nil
}

func (c *Client) newRequest(ctx context.Context, cl call, values url.Values) (*http.Request, error) {
	target := c.base.JoinPath(pathPrefix, cl.path)
	if cl.method == http.MethodGet {
		target.RawQuery = values.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target.String(), nil)
		if err != nil {
			return nil, err
		}
		if cl.write {
			// Iute makes some writes GETs (cancel, confirm cash release, insert repayment). net/http
			// silently re-sends a GET whose kept-alive connection dies before the answer, which would
			// book a repayment twice; a body without GetBody makes the request non-replayable, and the
			// transport still sends it without a body because it is empty.
			req.Body = io.NopCloser(bytes.NewReader(nil))
		}
		return req, nil
	}
	if !cl.multipart && len(cl.files) == 0 {
		req, err := http.NewRequestWithContext(ctx, cl.method, target.String(), strings.NewReader(values.Encode()))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req, nil
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range slices.Sorted(maps.Keys(values)) {
		for _, v := range values[k] {
			if err := mw.WriteField(k, v); err != nil {
				return nil, err
			}
		}
	}
	for _, f := range cl.files {
		if err := writeFilePart(mw, f); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target.String(), bytes.NewReader(buf.Bytes()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req, nil
}

func writeFilePart(mw *multipart.Writer, f formFile) error {
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, f.field, f.file.Name))
	ct := f.file.ContentType
	if ct == "" {
		ct = http.DetectContentType(f.file.Data)
	}
	h.Set("Content-Type", ct)
	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	_, err = w.Write(f.file.Data)
	return err
}
