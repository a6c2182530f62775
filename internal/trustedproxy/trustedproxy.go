// Package trustedproxy is the one rule for what a request may say about its
// client. The TCP peer is the client, unless the peer is a trusted proxy (a
// load balancer in front of loanflow, LOANFLOW_TRUSTED_PROXIES): then the
// client is the address that proxy appended to X-Forwarded-For, and
// X-Forwarded-Proto says whether the client used TLS.
//
// Apply sets the rule on the Gin engine every front end is mounted on, so the
// JSON APIs, the Iute façade and the console all read the client's address
// from gin.Context.ClientIP: the guessing throttles, console sessions, the
// audit log and the access log see the same address. Forwarded headers from
// any other peer are the client's own word and are ignored.
package trustedproxy

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gin-gonic/gin"
)

// List is the networks whose peers are trusted proxies. Empty trusts none.
type List []netip.Prefix

// Private is loopback and the private networks (RFC 1918, RFC 4193): where a
// load balancer sits on a container or cluster network.
func Private() List {
	return List{
		netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"),
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("fc00::/7"),
	}
}

// Parse reads a comma-separated list of CIDRs; a single address stands for
// itself. Blank entries are skipped.
func Parse(s string) (List, error) {
	var l List
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil || a.Zone() != "" {
				return nil, fmt.Errorf("%q is neither a CIDR (10.0.0.0/8) nor an IP address", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		l = append(l, p.Masked())
	}
	return l, nil
}

// String is the list as Parse reads it.
func (l List) String() string {
	parts := make([]string, len(l))
	for i, p := range l {
		parts[i] = p.String()
	}
	return strings.Join(parts, ",")
}

// trusts reports whether ip, a peer address, is a trusted proxy.
func (l List) trusts(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range l {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// viaTrustedProxy is the context key of whether the peer is a trusted
// proxy.
const viaTrustedProxy = "trustedproxy.peer"

// Apply sets the rule on r; call it before any route or middleware is added.
// Gin's ClientIP then walks X-Forwarded-For from the right, past the trusted
// proxies, to the first address none of them vouches for. X-Real-IP is not
// read: a proxy that only appends X-Forwarded-For would pass a client's
// forged X-Real-IP through.
func (l List) Apply(r *gin.Engine) {
	var proxies []string
	for _, p := range l {
		proxies = append(proxies, p.String())
	}
	if err := r.SetTrustedProxies(proxies); err != nil {
		panic("trustedproxy: " + err.Error()) // p.String() of a valid prefix always parses
	}
	r.TrustedPlatform = ""
	r.ForwardedByClientIP = true
	r.RemoteIPHeaders = []string{"X-Forwarded-For"}
	r.Use(func(c *gin.Context) {
		if l.trusts(c.RemoteIP()) {
			c.Set(viaTrustedProxy, true)
		}
		c.Next()
	})
}

// HTTPS reports whether the client reached loanflow over TLS: directly, or
// through a trusted proxy whose X-Forwarded-Proto says so (its first entry,
// the scheme the outermost proxy was reached with).
func HTTPS(c *gin.Context) bool {
	if c.Request.TLS != nil {
		return true
	}
	if !c.GetBool(viaTrustedProxy) {
		return false
	}
	proto, _, _ := strings.Cut(c.GetHeader("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}
