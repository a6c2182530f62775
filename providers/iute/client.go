package iute

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/providers"
)

// Provider is the name carried by every error of this package.
const Provider = "iute"

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
	partnerType string
	caller      *providers.Caller
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	u, err := providers.BaseURL(Provider, cfg.BaseURL, &cfg.Username, &cfg.Password)
	if err != nil {
		return nil, err
	}
	if cfg.Username == "" || cfg.PartnerType == "" {
		return nil, errors.New("iute: username and partner type are required")
	}
	caller := &providers.Caller{
		Provider: Provider, HTTPClient: cfg.HTTPClient, Logger: cfg.Logger, MaxBody: maxBody,
		Prepare: func(req *http.Request) {
			req.SetBasicAuth(cfg.Username, cfg.Password)
			req.Header.Set("Accept", "application/xml, application/pdf, text/html")
		},
		// Bodies stay out of the log: they are personal data, files and XML.
		MapError: statusError,
	}
	return &Client{base: u, partnerType: cfg.PartnerType, caller: caller}, nil
}

// call describes one API request. Its values go in the query of a GET, in a url-encoded POST body, or in
// a multipart one with the files.
type call struct {
	op     string
	iface  iutewire.Interface
	values url.Values
	files  []providers.FormFile
	// write marks a request that changes Iute's state, so a failure after sending it is ambiguous.
	write bool
	// multipart forces multipart/form-data even without files, as Iute's samples use for check status.
	multipart bool
}

// do sends cl with credentials and partner_type and returns its 2xx answer; every other outcome is a
// *providers.Error.
func (c *Client) do(ctx context.Context, cl call) (*providers.Answer, error) {
	values := url.Values{}
	for k, v := range cl.values {
		values[k] = v
	}
	values.Set(iutewire.FieldPartnerType, c.partnerType)
	// The base URL may carry a context path such as "/iute", as in Iute's own samples.
	target := c.base.JoinPath(iutewire.PathPrefix, cl.iface.Path)
	r := providers.Request{Op: cl.op, Method: cl.iface.Method, Write: cl.write}
	switch {
	case cl.iface.Method == http.MethodGet:
		target.RawQuery = values.Encode()
	case !cl.multipart && len(cl.files) == 0:
		r.Body, r.ContentType = []byte(values.Encode()), "application/x-www-form-urlencoded"
	default:
		var err error
		if r.Body, r.ContentType, err = providers.MultipartBody(values, cl.files); err != nil {
			return nil, providers.RequestError(Provider, cl.op, err)
		}
	}
	r.URL = target.String()
	return c.caller.Do(ctx, r)
}
