package webmoney

import (
	"cmp"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers"
)

// Provider names this integration in *providers.Error.
const Provider = "webmoney"

// DefaultURL is the documented endpoint.
const DefaultURL = "https://debt.wmtransfer.com/api/credits.aspx"

// DateLayout is the service's yyyy-MM-ddTHH:mm:ss.
const DateLayout = "2006-01-02T15:04:05"

// CodeHTTP is set on an answer that is not 2xx; a refusal carries its retval as code, the rest the shared
// providers.Code* ones.
const CodeHTTP = "http_error"

const maxBody = 32 << 20

var wmidRE = regexp.MustCompile(`^\d{12}$`)

// Moscow is the default zone of the service's timestamps (UTC+3, no daylight saving since 2014).
var Moscow = time.FixedZone("MSK", 3*60*60)

// Config identifies the lender and where the service is.
type Config struct {
	URL         string // default DefaultURL
	WMID        string // the lender's 12-digit WMID
	APIPassword string // generated on the Debt service's settings page; used only to sign
	// Location is the zone of the service's timestamps; default Moscow.
	Location *time.Location
	// HTTPClient defaults to a client with a 60 s timeout (windows may hold many loans).
	HTTPClient *http.Client
	// Logger receives one debug record per call (window, status, duration; never the password or
	// signature); nil discards.
	Logger *slog.Logger
}

// Client lists the loans a lender issued. It is safe for concurrent use.
type Client struct {
	url      string
	wmid     string
	password string
	loc      *time.Location
	caller   *providers.Caller
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	if cfg.URL == "" {
		cfg.URL = DefaultURL
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("webmoney: URL %q must be an absolute http(s) URL", cfg.URL)
	}
	if !wmidRE.MatchString(cfg.WMID) {
		return nil, fmt.Errorf("webmoney: WMID %q must be 12 digits", cfg.WMID)
	}
	if cfg.APIPassword == "" {
		return nil, errors.New("webmoney: API password is required")
	}
	if cfg.Location == nil {
		cfg.Location = Moscow
	}
	caller := &providers.Caller{
		Provider:   Provider,
		HTTPClient: cmp.Or(cfg.HTTPClient, &http.Client{Timeout: 60 * time.Second}),
		Logger:     cfg.Logger,
		MaxBody:    maxBody,
		Prepare:    func(req *http.Request) { req.Header.Set("Accept", "application/xml") },
		// Bodies stay out of the log: the request carries the signature.
		MapError: statusError,
	}
	return &Client{url: cfg.URL, wmid: cfg.WMID, password: cfg.APIPassword, loc: cfg.Location, caller: caller}, nil
}

// statusError keeps the start of an answer that is not 2xx (a proxy's page, say) as its message.
func statusError(op string, status int, body []byte, write bool) *providers.Error {
	msg := strings.Join(strings.Fields(string(body)), " ")
	if len(msg) > 500 {
		msg = msg[:500]
	}
	return providers.StatusError(Provider, op, status, CodeHTTP, msg, write)
}

// Sign is the request signature: the hex SHA1 of WMID:DATE_FROM:DATE_TO:password, the dates as sent.
func Sign(wmid, from, to, password string) string {
	sum := sha1.Sum([]byte(wmid + ":" + from + ":" + to + ":" + password))
	return hex.EncodeToString(sum[:])
}

// Credit is one issued loan.
type Credit struct {
	ID            int64
	OwnerWMID     string // the lender
	DestWMID      string // the borrower
	PurseSrc      string // purse the loan was issued from
	PurseDest     string // purse the loan was issued to
	PurseRet      string // purse the loan is repaid from
	Created       time.Time
	Updated       time.Time // last change of state
	Amount        decimal.Decimal
	AmountRet     decimal.Decimal // to be repaid
	AmountRetRest decimal.Decimal // still to be repaid
	ReturnDate    time.Time
	ReturnPeriod  int // RET_PERIOD as reported
	State         State
	WMTranID      string
	ContractID    string
}

type requestXML struct {
	XMLName xml.Name `xml:"service.request"`
	WMID    string   `xml:"wmid"`
	From    string   `xml:"from"`
	To      string   `xml:"to"`
	State   int      `xml:"state"`
	Sign    string   `xml:"sign"`
}

type responseXML struct {
	XMLName xml.Name `xml:"service.response"`
	Credits *struct {
		Count   string      `xml:"cnt,attr"`
		Credits []creditXML `xml:"credit"`
	} `xml:"credits"`
	Retval  string `xml:"retval"`
	Retdesc string `xml:"retdesc"`
}

type creditXML struct {
	ID            string `xml:"id,attr"`
	OwnerWMID     string `xml:"ownerwmid"`
	DestWMID      string `xml:"destwmid"`
	PurseSrc      string `xml:"pursesrc"`
	PurseDest     string `xml:"pursedest"`
	PurseRet      string `xml:"purseret"`
	DateCrt       string `xml:"datecrt"`
	DateUpd       string `xml:"dateupd"`
	Amount        string `xml:"amount"`
	AmountRet     string `xml:"amount_ret"`
	AmountRetRest string `xml:"amount_ret_rest"`
	RetDate       string `xml:"ret_date"`
	RetPer        string `xml:"ret_per"`
	State         string `xml:"state"`
	WMTranID      string `xml:"wmtranid"`
	ContractID    string `xml:"contractid"`
}

// Credits lists the loans issued in [from, to] (the service's local time, to the second) in the given
// state, or in every state with StateAll.
func (c *Client) Credits(ctx context.Context, from, to time.Time, state State) ([]Credit, error) {
	const op = "list_credits"
	if state != StateAll && !state.Valid() {
		return nil, providers.RequestError(Provider, op, fmt.Errorf("state %d is not 0–6 or -1", state))
	}
	df, dt := from.In(c.loc).Format(DateLayout), to.In(c.loc).Format(DateLayout)
	body, err := xml.Marshal(requestXML{WMID: c.wmid, From: df, To: dt, State: int(state), Sign: Sign(c.wmid, df, dt, c.password)})
	if err != nil {
		return nil, providers.RequestError(Provider, op, err)
	}
	a, err := c.caller.Do(ctx, providers.Request{Op: op, Method: http.MethodPost, URL: c.url, Body: body,
		ContentType: "application/xml; charset=utf-8", LogAttrs: []any{"from", df, "to", dt}})
	if err != nil {
		return nil, err
	}
	var r responseXML
	if err := xml.Unmarshal(a.Body, &r); err != nil {
		return nil, providers.BadResponseError(Provider, op, a.Status, fmt.Errorf("unreadable XML answer: %w", err), false)
	}
	if retval := strings.TrimSpace(r.Retval); retval != "0" {
		return nil, &providers.Error{Provider: Provider, Op: op, Status: a.Status, Code: retval, Message: strings.TrimSpace(r.Retdesc)}
	}
	if r.Credits == nil {
		return nil, nil
	}
	out := make([]Credit, 0, len(r.Credits.Credits))
	p := parser{loc: c.loc}
	for _, x := range r.Credits.Credits {
		out = append(out, p.credit(x))
	}
	if n, err := strconv.Atoi(strings.TrimSpace(r.Credits.Count)); err != nil || n != len(out) {
		p.Fail("credits cnt", r.Credits.Count, fmt.Errorf("the answer holds %d credits", len(out)))
	}
	if p.Err != nil {
		return nil, providers.BadResponseError(Provider, op, a.Status, p.Err, false)
	}
	return out, nil
}

// parser reads a credit's text values in the service's zone, keeping the first failure.
type parser struct {
	providers.Fields
	loc *time.Location
}

func (p *parser) credit(x creditXML) Credit {
	return Credit{
		ID:            p.Int64("credit id", x.ID),
		OwnerWMID:     strings.TrimSpace(x.OwnerWMID),
		DestWMID:      strings.TrimSpace(x.DestWMID),
		PurseSrc:      strings.TrimSpace(x.PurseSrc),
		PurseDest:     strings.TrimSpace(x.PurseDest),
		PurseRet:      strings.TrimSpace(x.PurseRet),
		Created:       p.time("datecrt", x.DateCrt),
		Updated:       p.time("dateupd", x.DateUpd),
		Amount:        p.Decimal("amount", x.Amount),
		AmountRet:     p.Decimal("amount_ret", x.AmountRet),
		AmountRetRest: p.Decimal("amount_ret_rest", x.AmountRetRest),
		ReturnDate:    p.time("ret_date", x.RetDate),
		ReturnPeriod:  int(p.Int64("ret_per", x.RetPer)),
		State:         p.state(x.State),
		WMTranID:      strings.TrimSpace(x.WMTranID),
		ContractID:    strings.TrimSpace(x.ContractID),
	}
}

func (p *parser) time(name, v string) time.Time { return p.Time(name, v, DateLayout, p.loc) }

func (p *parser) state(v string) State {
	s := State(p.Int64("state", v))
	if !s.Valid() {
		p.Fail("state", v, errors.New("not a documented state 0–6"))
	}
	return s
}
