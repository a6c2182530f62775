package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	neturl "net/url"
	"strings"
	"syscall"
	"time"

	"code.dny.dev/ssrf"
)

// AttemptTimeout bounds one delivery attempt, connection to last byte.
const AttemptTimeout = 10 * time.Second

// responseKept is how much of an endpoint's answer a delivery keeps, for
// the console.
const responseKept = 1024

// Policy is what endpoint URLs a deployment accepts.
type Policy struct {
	// Dev accepts plain http and private addresses: `loanflow dev` and
	// tests send to receivers on this machine.
	Dev bool
}

// ErrPrivateAddress: the endpoint resolved to an address it may not have
// (loopback, private, link-local…) and no admin allowed it.
var ErrPrivateAddress = errors.New("webhook: the endpoint's address is private, loopback or link-local")

// CheckURL tells what is wrong with raw as an endpoint URL, or nil. A
// host that is an address literal is checked here; a name is checked
// again, as it resolves, on every attempt (see Sender).
func (p Policy) CheckURL(raw string, allowPrivate bool) error {
	u, err := neturl.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return errors.New("must be an absolute URL")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && p.Dev:
	default:
		return errors.New("must use https")
	}
	if u.User != nil {
		return errors.New("must not carry credentials")
	}
	if u.Fragment != "" {
		return errors.New("must not have a fragment")
	}
	if len(raw) > 2048 {
		return errors.New("must be at most 2048 characters")
	}
	if p.Dev {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	if allowPrivate {
		if ip, err := netip.ParseAddr(host); err == nil && privateGuard.SafeAddr(ip.Unmap()) != nil {
			return errors.New("must not be a link-local or other special-purpose address, even where private ones are allowed")
		}
		return nil
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return errors.New("must not be a loopback host")
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if guard.SafeAddr(ip.Unmap()) != nil {
			return errors.New("must not be a private, loopback or link-local address")
		}
	}
	return nil
}

// guard is the address rule of an endpoint that may not be private: the
// IANA special-purpose registries, which code.dny.dev/ssrf keeps current,
// on any port.
var guard = ssrf.New(ssrf.WithAnyPort())

// privateGuard is the rule of an endpoint an admin allowed on a private
// address: the private ranges (RFC 1918, shared address space, unique
// local IPv6) and loopback (a receiver beside loanflow) are let through;
// link-local, where clouds serve their instance metadata, and the other
// special-purpose ranges are still refused, whatever the name resolves to.
var privateGuard = ssrf.New(ssrf.WithAnyPort(),
	ssrf.WithAllowedV4Prefixes(
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16"),
		netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("127.0.0.0/8")),
	ssrf.WithAllowedV6Prefixes(netip.MustParsePrefix("fc00::/7"), netip.MustParsePrefix("::1/128")))

// Sender posts webhooks. It never follows a redirect (a 3xx is a failed
// attempt), gives each attempt AttemptTimeout, and checks the address it
// connects to, after resolution, so a name that resolves to a private
// address is refused like the address itself.
type Sender struct {
	guarded, private *http.Client
}

// NewSender is a sender under p.
func NewSender(p Policy) *Sender { return newSender(p, AttemptTimeout) }

func newSender(p Policy, timeout time.Duration) *Sender {
	client := func(control func(network, address string, c syscall.RawConn) error) *http.Client {
		d := &net.Dialer{Timeout: timeout, Control: control}
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DialContext = d.DialContext
		t.Proxy = nil // a proxy would connect on our behalf, past the check
		return &http.Client{
			Transport:     t,
			Timeout:       timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	if p.Dev {
		open := client(nil)
		return &Sender{guarded: open, private: open}
	}
	return &Sender{guarded: client(guard.Safe), private: client(privateGuard.Safe)}
}

// Answer is what an endpoint answered to one attempt.
type Answer struct {
	StatusCode int
	Body       string // its start
	Duration   time.Duration
}

// OK reports whether the endpoint took the webhook (any 2xx).
func (a Answer) OK() bool { return a.StatusCode >= 200 && a.StatusCode < 300 }

// Send posts body to url with h. allowPrivate is the endpoint's admin
// exception. An error is an attempt with no HTTP answer (refused address,
// connection, timeout).
func (s *Sender) Send(ctx context.Context, url string, allowPrivate bool, h http.Header, body []byte) (Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Answer{}, err
	}
	req.Header = h.Clone()
	req.Header.Set("User-Agent", "loanflow-webhooks/1")
	c := s.guarded
	if allowPrivate {
		c = s.private
	}
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		if errors.Is(err, ssrf.ErrProhibitedIP) || errors.Is(err, ssrf.ErrProhibitedPort) || errors.Is(err, ssrf.ErrProhibitedNetwork) {
			return Answer{Duration: time.Since(start)}, fmt.Errorf("%w (%s)", ErrPrivateAddress, req.URL.Hostname())
		}
		// The URL (its query may hold the partner's token) stays out of
		// what is stored and shown.
		var ue *neturl.Error
		if errors.As(err, &ue) {
			err = fmt.Errorf("%s: %w", req.URL.Hostname(), ue.Err)
		}
		return Answer{Duration: time.Since(start)}, err
	}
	defer resp.Body.Close()
	kept, _ := io.ReadAll(io.LimitReader(resp.Body, responseKept))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // lets the connection be reused
	return Answer{StatusCode: resp.StatusCode, Body: strings.ToValidUTF8(string(kept), "?"), Duration: time.Since(start)}, nil
}
