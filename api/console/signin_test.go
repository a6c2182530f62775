package console

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/auth"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/internal/trustedproxy"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

func TestSignInSetsSessionCookie(t *testing.T) {
	cases := []struct {
		name       string
		trustProxy bool
		tls        bool
		header     string
		wantSecure bool
	}{
		{"plain http", false, false, "", false},
		{"direct TLS", false, true, "", true},
		{"forwarded https from a trusted proxy", true, false, "https", true},
		{"forwarded https, proxy not trusted", false, false, "https", false},
		{"trusted proxy says http", true, false, "http", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if tc.trustProxy {
				e.behind(trustedproxy.List{netip.MustParsePrefix("192.0.2.10/32")})
			}
			b := e.browser()
			if tc.header != "" {
				b.headers["X-Forwarded-Proto"] = tc.header
			}
			page := b.get(Prefix + "/login")
			require.Equal(t, http.StatusOK, page.Code)
			req := newFormRequest(t, Prefix+"/login", url.Values{
				"token": {field(tokenField, page.Body.String())}, "username": {"underwriter"}, "password": {"underwriter-secret"},
			})
			if tc.tls {
				req.TLS = &tls.ConnectionState{}
			}
			if tc.header != "" {
				req.Header.Set("X-Forwarded-Proto", tc.header)
			}
			for _, c := range b.cookies {
				req.AddCookie(c)
			}
			res := serve(e, req)
			require.Equal(t, http.StatusSeeOther, res.Code, res.Body.String())
			require.Equal(t, Prefix+"/", res.Header().Get("Location"))
			var session *http.Cookie
			for _, c := range res.Result().Cookies() {
				if c.Name == sessionCookie {
					session = c
				}
			}
			require.NotNil(t, session)
			require.True(t, session.HttpOnly)
			require.Equal(t, http.SameSiteLaxMode, session.SameSite)
			require.Equal(t, Prefix, session.Path)
			require.Zero(t, session.MaxAge, "a browser-session cookie")
			require.Equal(t, tc.wantSecure, session.Secure)
			// The database holds the token's hash, never the token.
			sess, err := e.store.GetConsoleSession(context.Background(), tokenHash(session.Value))
			require.NoError(t, err)
			require.Equal(t, e.staff(underwriter).ID, sess.StaffID)
			require.Equal(t, testkit.Start.Add(DefaultAbsoluteTimeout), sess.ExpiresAt)
			require.Equal(t, models.OutcomeOK, e.lastEvent(actionSignIn).Outcome)
		})
	}
}

func TestSignInRefusals(t *testing.T) {
	cases := []struct {
		name     string
		user, pw string
		status   int
		outcome  string
		detail   string
	}{
		{"wrong password", "underwriter", "nope", http.StatusUnauthorized, models.OutcomeFailed, "wrong password"},
		{"unknown user", "mallory", "whatever", http.StatusUnauthorized, models.OutcomeFailed, "unknown username"},
		{"empty password", "underwriter", "", http.StatusBadRequest, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			res := e.browser().trySignIn(creds{User: tc.user, Password: tc.pw})
			require.Equal(t, tc.status, res.Code)
			require.Empty(t, sessionCookieOf(res))
			if tc.outcome == "" {
				require.Empty(t, e.events(actionSignIn))
				return
			}
			require.Contains(t, res.Body.String(), "Wrong username or password.")
			ev := e.lastEvent(actionSignIn)
			require.Equal(t, tc.outcome, ev.Outcome)
			require.Equal(t, tc.detail, ev.Detail)
			require.Equal(t, tc.user, ev.Target)
			require.Equal(t, "192.0.2.10", ev.ClientIP)
		})
	}
}

func TestSignInDisabledAccount(t *testing.T) {
	e := newEnv(t)
	ev := &models.ConsoleEvent{At: testkit.Start, Actor: "test", Action: actionDisableStaff, Outcome: models.OutcomeOK}
	require.NoError(t, e.store.SetStaffActive(context.Background(), e.staff(operations).ID, false, ev))
	res := e.browser().trySignIn(operations)
	require.Equal(t, http.StatusUnauthorized, res.Code)
	require.Equal(t, "account disabled", e.lastEvent(actionSignIn).Detail)
}

func TestSignInNeedsTheFormToken(t *testing.T) {
	cases := []struct {
		name   string
		cookie bool
		token  string
	}{
		{"no cookie, no token", false, ""},
		{"cookie but no token", true, ""},
		{"cookie and a wrong token", true, "forged"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			b := e.browser()
			if tc.cookie {
				b.get(Prefix + "/login")
			}
			res := b.do(http.MethodPost, Prefix+"/login", url.Values{"token": {tc.token}, "username": {"underwriter"}, "password": {"underwriter-secret"}})
			require.Equal(t, http.StatusForbidden, res.Code)
			require.Empty(t, sessionCookieOf(res))
			require.Equal(t, models.OutcomeDenied, e.lastEvent(actionCSRF).Outcome)
		})
	}
}

func TestSignInReturnsToTheRequestedPage(t *testing.T) {
	cases := []struct {
		next, want string
	}{
		{"/backoffice/documents", "/backoffice/documents"},
		{"/backoffice/loans?status=all", "/backoffice/loans?status=all"},
		{"https://evil.example/", "/backoffice/"},
		{"//evil.example/backoffice/", "/backoffice/"},
		{"/backoffice/login", "/backoffice/"},
		{"/v1/loans", "/backoffice/"},
		// Dot segments are resolved before the check: a path that climbs
		// out of the console is refused, one that stays in is cleaned.
		{"/backoffice/../../x", "/backoffice/"},
		{"/backoffice/%2e%2e/v1/loans", "/backoffice/"},
		{"/backoffice/./loans/../documents", "/backoffice/documents"},
		{"/backoffice/static/../loans", "/backoffice/loans"},
		{"/backoffice/x/../login", "/backoffice/"},
	}
	for _, tc := range cases {
		t.Run(tc.next, func(t *testing.T) {
			e := newEnv(t)
			b := e.browser()
			page := b.get(Prefix + "/login?next=" + url.QueryEscape(tc.next))
			res := b.do(http.MethodPost, Prefix+"/login", url.Values{
				"token": {field(tokenField, page.Body.String())}, "username": {"operations"}, "password": {"operations-secret"},
				"next": {tc.next},
			})
			require.Equal(t, http.StatusSeeOther, res.Code)
			require.Equal(t, tc.want, res.Header().Get("Location"))
		})
	}
}

func TestUnauthenticatedRequestsGoToSignIn(t *testing.T) {
	e := newEnv(t)
	l := e.loanIn(lending.StatusSubmitted, "2000", time.Hour)
	b := e.browser()
	res := b.get(loanURL(l.Ref))
	require.Equal(t, http.StatusSeeOther, res.Code)
	require.Equal(t, Prefix+"/login?next="+url.QueryEscape(loanURL(l.Ref)), res.Header().Get("Location"))

	res = b.do(http.MethodPost, loanURL(l.Ref)+"/approve", url.Values{"seen": {"SUBMITTED"}})
	require.Equal(t, http.StatusSeeOther, res.Code)
	require.Equal(t, Prefix+"/login", res.Header().Get("Location"))
	require.Empty(t, e.loan(l.Ref).ApprovedBy, "nothing reached the workflow")
	require.NotContains(t, e.trail(l.Ref), lending.ActionApprove)

	// Signing in from that link lands on the loan.
	page := b.get(res.Header().Get("Location") + "?next=" + url.QueryEscape(loanURL(l.Ref)))
	require.Contains(t, page.Body.String(), `name="next" value="`+loanURL(l.Ref)+`"`)
}

func TestSessionIdleAndAbsoluteTimeouts(t *testing.T) {
	t.Run("idle", func(t *testing.T) {
		e := newEnv(t)
		b := e.signedIn(underwriter)
		e.clock.Advance(DefaultIdleTimeout - time.Minute)
		require.Equal(t, http.StatusOK, b.get(Prefix+"/loans").Code, "activity inside the idle timeout")
		e.clock.Advance(DefaultIdleTimeout - time.Minute)
		require.Equal(t, http.StatusOK, b.get(Prefix+"/loans").Code, "the last request pushed the deadline back")
		e.clock.Advance(DefaultIdleTimeout)
		res := b.get(Prefix + "/loans")
		require.Equal(t, http.StatusSeeOther, res.Code)
		require.Contains(t, res.Header().Get("Location"), "expired=1")
		require.Contains(t, b.get(res.Header().Get("Location")).Body.String(), "Your session has expired")
		n, err := e.store.CountStaffConsoleSessions(context.Background(), e.staff(underwriter).ID)
		require.NoError(t, err)
		require.Zero(t, n, "the expired session is deleted")
	})
	t.Run("absolute", func(t *testing.T) {
		e := newEnv(t)
		b := e.signedIn(underwriter)
		for elapsed := time.Duration(0); elapsed < DefaultAbsoluteTimeout-20*time.Minute; elapsed += 20 * time.Minute {
			e.clock.Advance(20 * time.Minute)
			require.Equal(t, http.StatusOK, b.get(Prefix+"/loans").Code, "at %s", elapsed)
		}
		e.clock.Advance(20 * time.Minute)
		res := b.get(Prefix + "/loans")
		require.Equal(t, http.StatusSeeOther, res.Code)
		require.Contains(t, res.Header().Get("Location"), "expired=1")
	})
}

func TestSignOut(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(operations)
	stolen := b.cookies[sessionCookie]
	res := b.post(Prefix+"/logout", nil)
	require.Equal(t, http.StatusSeeOther, res.Code)
	require.Equal(t, Prefix+"/login?signed_out=1", res.Header().Get("Location"))
	require.NotContains(t, b.cookies, sessionCookie, "the cookie is cleared")
	require.Equal(t, models.OutcomeOK, e.lastEvent(actionSignOut).Outcome)

	// The old cookie is worth nothing now.
	other := e.browser()
	other.cookies[sessionCookie] = stolen
	require.Equal(t, http.StatusSeeOther, other.get(Prefix+"/documents").Code)
}

func TestFailedSignInsAreRateLimitedPerUser(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for i := range auth.MaxSignInFailuresPerUser {
		require.Equal(t, http.StatusUnauthorized, b.trySignIn(creds{User: "underwriter", Password: "guess"}).Code, "attempt %d", i+1)
	}
	// Now even the right password is refused, without a bcrypt check.
	res := b.trySignIn(underwriter)
	require.Equal(t, http.StatusTooManyRequests, res.Code)
	require.Equal(t, "900", res.Header().Get("Retry-After"))
	require.Contains(t, res.Body.String(), "Too many failed sign-ins")
	require.Equal(t, models.OutcomeRateLimited, e.lastEvent(actionSignIn).Outcome)

	// The lock is per user: another account signs in from the same address.
	require.Equal(t, http.StatusSeeOther, e.browser().trySignIn(operations).Code)

	// From another address the user is not locked: otherwise anyone could
	// lock a colleague out by failing on purpose.
	elsewhere := e.browser()
	elsewhere.ip = "198.51.100.7"
	require.Equal(t, http.StatusSeeOther, elsewhere.trySignIn(underwriter).Code)

	// Once the failures age out of the window, the user may sign in again.
	e.clock.Advance(auth.SignInWindow + time.Second)
	require.Equal(t, http.StatusSeeOther, b.trySignIn(underwriter).Code)
}

func TestSuccessfulSignInResetsTheUserCount(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for range auth.MaxSignInFailuresPerUser - 1 {
		require.Equal(t, http.StatusUnauthorized, b.trySignIn(creds{User: "underwriter", Password: "typo"}).Code)
	}
	e.clock.Advance(time.Second)
	require.Equal(t, http.StatusSeeOther, b.trySignIn(underwriter).Code)
	e.clock.Advance(time.Second)
	// Fresh browsers: a signed-in one is sent past the sign-in page.
	require.Equal(t, http.StatusUnauthorized, e.browser().trySignIn(creds{User: "underwriter", Password: "typo"}).Code)
	require.Equal(t, http.StatusSeeOther, e.browser().trySignIn(underwriter).Code, "one failure after a success is not a lock")
}

func TestFailedSignInsAreRateLimitedPerAddress(t *testing.T) {
	e := newEnv(t)
	attacker := e.browser()
	for i := range auth.MaxSignInFailuresPerIP {
		require.Equal(t, http.StatusUnauthorized, attacker.trySignIn(creds{User: fmt.Sprintf("user%d", i), Password: "x"}).Code)
	}
	require.Equal(t, http.StatusTooManyRequests, attacker.trySignIn(admin).Code, "the address is blocked for every account")

	colleague := e.browser()
	colleague.ip = "198.51.100.8"
	require.Equal(t, http.StatusSeeOther, colleague.trySignIn(admin).Code)
}

// TestClientAddressBehindTrustedProxy: the console takes the client's
// address from the engine's one rule: the peer, or the address a trusted
// proxy appended.
func TestClientAddressBehindTrustedProxy(t *testing.T) {
	cases := []struct {
		name    string
		proxies trustedproxy.List
		want    string
	}{
		{"no trusted proxy: the peer", nil, "192.0.2.10"},
		{"the peer is a trusted proxy: the address it appended", trustedproxy.List{netip.MustParsePrefix("192.0.2.0/24")}, "203.0.113.9"},
		{"another peer is trusted: the peer", trustedproxy.List{netip.MustParsePrefix("10.0.0.0/8")}, "192.0.2.10"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.behind(tc.proxies)
			b := e.browser()
			b.headers["X-Forwarded-For"] = "10.9.9.9, 203.0.113.9"
			b.trySignIn(creds{User: "underwriter", Password: "wrong"})
			require.Equal(t, tc.want, e.lastEvent(actionSignIn).ClientIP)
		})
	}
}

// signInPost loads the sign-in form in a browser of its own and returns
// the post of it, to be sent later, maybe in parallel with others.
func (e *env) signInPost(c creds) func() *httptest.ResponseRecorder {
	e.t.Helper()
	b := e.browser()
	page := b.get(Prefix + "/login")
	require.Equal(e.t, http.StatusOK, page.Code)
	form := url.Values{"token": {field(tokenField, page.Body.String())}, "username": {c.User}, "password": {c.Password}}
	return func() *httptest.ResponseRecorder { return b.do(http.MethodPost, Prefix+"/login", form) }
}

// sendAtOnce sends the posts in parallel and answers their status codes,
// counted.
func sendAtOnce(posts []func() *httptest.ResponseRecorder) map[int]int {
	return testkit.AtOnce(posts, func(post func() *httptest.ResponseRecorder) int { return post().Code })
}

func wrongPosts(e *env, n, from int) []func() *httptest.ResponseRecorder {
	posts := make([]func() *httptest.ResponseRecorder, n)
	for i := range posts {
		posts[i] = e.signInPost(creds{User: underwriter.User, Password: fmt.Sprintf("guess-%d", from+i)})
	}
	return posts
}

// TestParallelSignInsCheckAtMostTheLimit: 40 wrong passwords sent at once
// for one account are not 40 guesses: at most the limit are checked, the
// others are refused unchecked.
func TestParallelSignInsCheckAtMostTheLimit(t *testing.T) {
	e := newEnv(t)
	const n = 40
	count := sendAtOnce(wrongPosts(e, n, 0))
	checked := e.checks.Started()
	require.LessOrEqual(t, checked, auth.MaxSignInFailuresPerUser)
	require.Equal(t, checked, count[http.StatusUnauthorized])
	require.Equal(t, n-checked, count[http.StatusTooManyRequests])
	require.Equal(t, n, count[http.StatusUnauthorized]+count[http.StatusTooManyRequests], "no other answer: %v", count)
	failed := 0
	for _, ev := range e.events(actionSignIn) {
		if ev.Outcome == models.OutcomeFailed {
			failed++
		}
	}
	require.Equal(t, checked, failed, "the audit log shows each checked password")
}

// TestRightPasswordInsideABurstDoesNotSignIn: while the limit's worth of
// wrong passwords are being checked, a burst of 30 more with the right one
// among them is refused without a check.
func TestRightPasswordInsideABurstDoesNotSignIn(t *testing.T) {
	e := newEnv(t)
	limit := auth.MaxSignInFailuresPerUser
	first := wrongPosts(e, limit, 0)
	burst := append(wrongPosts(e, 29, limit), e.signInPost(underwriter))

	e.checks.Hold()
	firstCodes := make(chan int, limit)
	for _, post := range first {
		go func() { firstCodes <- post().Code }()
	}
	e.checks.AwaitStarted(t, limit)
	done := make(chan map[int]int, 1)
	go func() { done <- sendAtOnce(burst) }()
	select {
	case count := <-done:
		require.Equal(t, map[int]int{http.StatusTooManyRequests: 30}, count)
	case <-time.After(10 * time.Second):
		t.Fatal("the burst waited for password checks: it was checked past the limit")
	}
	e.checks.Release()
	for range limit {
		require.Equal(t, http.StatusUnauthorized, <-firstCodes)
	}
	require.Equal(t, limit, e.checks.Started())
	n, err := e.store.CountStaffConsoleSessions(context.Background(), e.staff(underwriter).ID)
	require.NoError(t, err)
	require.Zero(t, n, "nobody signed in")
}

func TestSignedInVisitToLoginGoesHome(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn(admin)
	res := b.get(Prefix + "/login")
	require.Equal(t, http.StatusSeeOther, res.Code)
	require.Equal(t, http.StatusSeeOther, b.get(res.Header().Get("Location")).Code)
	require.True(t, strings.HasSuffix(b.get(Prefix+"/").Header().Get("Location"), "/admin/staff"))
}
