package frontends

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/internal/testkit/kit"
	"github.com/loanflow/loanflow/internal/trustedproxy"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// balancer is the peer address of every request: the load balancer of the
// documented topology.
const balancer = "10.0.0.2:40000"

// Clients behind the balancer.
const (
	clientA = "203.0.113.1"
	clientB = "198.51.100.2"
)

type client struct {
	t      *testing.T
	router *gin.Engine
	// forwarded is what the balancer appends to X-Forwarded-For.
	forwarded string
	cookies   map[string]*http.Cookie
}

func newClient(t *testing.T, r *gin.Engine, forwarded string) *client {
	return &client{t: t, router: r, forwarded: forwarded, cookies: map[string]*http.Cookie{}}
}

func (c *client) send(req *http.Request) *httptest.ResponseRecorder {
	req.RemoteAddr = balancer
	req.Header.Set("X-Forwarded-For", c.forwarded)
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.router.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		c.cookies[ck.Name] = ck
	}
	return rec
}

func (c *client) basic(path string, who testkit.Creds) int {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.SetBasicAuth(who.User, who.Password)
	return c.send(req).Code
}

// iuteCalc is the Iute façade's loan calculation.
func (c *client) iuteCalc(who testkit.Creds) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/iute/rest/api/partner/loan/calc",
		strings.NewReader("loan_amount=1000.55&loan_duration=6&partner_type=post"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(who.User, who.Password)
	return c.send(req)
}

var tokenField = regexp.MustCompile(`name="token" value="([^"]+)"`)

// signIn posts the console's sign-in form.
func (c *client) signIn(who testkit.Creds) int {
	page := c.send(httptest.NewRequest(http.MethodGet, "/backoffice/login", nil))
	require.Equal(c.t, http.StatusOK, page.Code)
	m := tokenField.FindStringSubmatch(page.Body.String())
	require.NotNil(c.t, m)
	form := url.Values{"token": {m[1]}, "username": {who.User}, "password": {who.Password}}
	req := httptest.NewRequest(http.MethodPost, "/backoffice/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.send(req).Code
}

func router(t *testing.T, proxies trustedproxy.List) *gin.Engine {
	k, _ := kit.NewScripted(t)
	return Router(k.Service, Options{Store: k.Store, TrustedProxies: proxies})
}

// TestOneClientCannotLockOutTheOthers: behind a trusted load balancer,
// failures are counted per forwarded client, on every front end: client A
// failing until it is blocked leaves client B's valid credentials working
// on the JSON APIs, the Iute façade and the console, while A stays blocked.
func TestOneClientCannotLockOutTheOthers(t *testing.T) {
	r := router(t, trustedproxy.List{netip.MustParsePrefix("10.0.0.0/8")})
	a := newClient(t, r, clientA)
	b := newClient(t, r, clientB)

	for i := range 50 { // the Basic-auth limit per address
		require.Equal(t, http.StatusUnauthorized, a.basic("/v1/loans", testkit.Creds{User: fmt.Sprintf("guess-%d", i), Password: "x"}))
	}
	require.Equal(t, http.StatusOK, b.basic("/v1/loans", testkit.Demo))
	require.Equal(t, http.StatusOK, b.basic("/backoffice/v1/loans", testkit.Underwriter))
	require.Equal(t, http.StatusOK, b.iuteCalc(testkit.Demo).Code)
	require.Equal(t, http.StatusTooManyRequests, a.basic("/v1/loans", testkit.Demo), "A is still blocked, though B's check of the same credentials is remembered")
	// The Iute protocol answers every refusal 403, with the reason.
	throttled := a.iuteCalc(testkit.Demo)
	require.Equal(t, http.StatusForbidden, throttled.Code)
	require.Contains(t, throttled.Body.String(), "too many failed sign-ins", "A is blocked on the façade too")

	for i := range 20 { // the console's limit per address
		require.Equal(t, http.StatusUnauthorized, a.signIn(testkit.Creds{User: fmt.Sprintf("guess-%d", i), Password: "x"}))
	}
	require.Equal(t, http.StatusSeeOther, b.signIn(testkit.Operations))
	require.Equal(t, http.StatusTooManyRequests, a.signIn(testkit.Admin), "A is still blocked")
}

// TestForwardedAddressesAreIgnoredWithoutTrustedProxies: with no trusted
// proxy, X-Forwarded-For is the client's own word: a guesser cannot reset
// its count by changing it.
func TestForwardedAddressesAreIgnoredWithoutTrustedProxies(t *testing.T) {
	r := router(t, nil)
	for i := range 50 {
		c := newClient(t, r, fmt.Sprintf("192.0.2.%d", i))
		require.Equal(t, http.StatusUnauthorized, c.basic("/v1/loans", testkit.Creds{User: fmt.Sprintf("guess-%d", i), Password: "x"}))
	}
	fresh := newClient(t, r, clientB)
	require.Equal(t, http.StatusTooManyRequests, fresh.basic("/v1/loans", testkit.Demo), "the balancer's address is what counts")
}
