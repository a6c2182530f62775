package console

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/auth"
	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
)

// loginView is the sign-in page.
type loginView struct {
	Token    string
	Next     string
	Username string
	Notice   string
}

// safeNext keeps a post-sign-in destination only if it is a console page:
// anything else would make the sign-in page an open redirect. The path is
// decoded and its dot segments resolved before it is checked, so what is
// checked is where the browser will go.
func safeNext(next string) string {
	if strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	if !strings.HasPrefix(clean, Prefix+"/") || strings.HasPrefix(clean, Prefix+"/login") || strings.HasPrefix(clean, Prefix+"/static/") {
		return ""
	}
	out := &url.URL{Path: clean, RawQuery: u.RawQuery}
	return out.String()
}

// loginPage shows the sign-in form, with a fresh token in a cookie and in
// the form: a sign-in posted from another site lacks one of them.
func (c *console) loginPage(gc *gin.Context) {
	if _, _, state, err := c.currentSession(gc); err == nil && state == sessionOK {
		gc.Redirect(http.StatusSeeOther, Prefix+"/")
		return
	}
	v := loginView{Next: safeNext(gc.Query("next"))}
	switch {
	case gc.Query("expired") != "":
		v.Notice = "Your session has expired. Please sign in again."
	case gc.Query("signed_out") != "":
		v.Notice = "You are signed out."
	}
	c.showLogin(gc, http.StatusOK, v, "")
}

func (c *console) showLogin(gc *gin.Context, status int, v loginView, errMsg string) {
	v.Token = randomToken()
	c.setCookie(gc, loginCookie, v.Token, 3600, http.SameSiteStrictMode)
	c.render(gc, status, "login", "Sign in", v, errMsg)
}

// signIn checks the form token, then has the service check the sign-in:
// the guessing limits, the password and a disabled account are one rule of
// internal/auth, which answers the same on every replica. Every outcome is
// audited.
func (c *console) signIn(gc *gin.Context) {
	if !c.parseForm(gc) {
		return
	}
	ctx := gc.Request.Context()
	form := gc.Request.PostForm
	v := loginView{Next: safeNext(form.Get("next")), Username: strings.TrimSpace(form.Get("username"))}
	password := form.Get("password")
	target := truncate(v.Username, 100)

	ck, _ := gc.Request.Cookie(loginCookie)
	if ck == nil || !sameToken(form.Get("token"), ck.Value) {
		c.audit(gc, "", actionCSRF, "sign-in form", models.OutcomeDenied, "sign-in without the form's token (user "+target+")")
		c.showLogin(gc, http.StatusForbidden, v, "This sign-in form has expired or was not opened in this browser. Please try again.")
		return
	}
	if v.Username == "" || password == "" {
		c.showLogin(gc, http.StatusBadRequest, v, "Enter your username and password.")
		return
	}

	st, err := c.svc.SignInStaff(ctx, v.Username, password, gc.ClientIP())
	switch {
	case err == nil:
	case failure.KindOf(err) == failure.KindTooManyRequests:
		c.audit(gc, "", actionSignIn, target, models.OutcomeRateLimited, "too many failed sign-ins")
		gc.Header("Retry-After", strconv.Itoa(int(auth.SignInWindow/time.Second)))
		c.showLogin(gc, http.StatusTooManyRequests, v, fmt.Sprintf(
			"Too many failed sign-ins for this account or from this address. Try again in %d minutes.", int(auth.SignInWindow/time.Minute)))
		return
	case failure.KindOf(err) == failure.KindUnauthorized:
		why := "wrong credentials"
		if fe := failure.As(err); fe.Cause != nil {
			why = fe.Cause.Error()
		}
		c.audit(gc, "", actionSignIn, target, models.OutcomeFailed, why)
		c.showLogin(gc, http.StatusUnauthorized, v, "Wrong username or password.")
		return
	default:
		c.outage(gc, "sign in", err)
		return
	}

	now := c.now()
	token := randomToken()
	sess := &models.ConsoleSession{
		ID: tokenHash(token), StaffID: st.ID, CSRFToken: randomToken(),
		ClientIP: gc.ClientIP(), UserAgent: truncate(gc.Request.UserAgent(), 255),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(c.o.AbsoluteTimeout),
	}
	if err := c.store.CreateConsoleSession(ctx, sess); err != nil {
		c.outage(gc, "create session", err)
		return
	}
	if _, err := c.store.PurgeConsoleSessions(ctx, now, now.Add(-c.o.IdleTimeout)); err != nil {
		c.log.Warn("purge console sessions", "error", err)
	}
	c.audit(gc, st.Username, actionSignIn, st.Username, models.OutcomeOK, "")
	c.setCookie(gc, loginCookie, "", -1, http.SameSiteStrictMode)
	// A session cookie (no Max-Age): closing the browser ends it too.
	c.setCookie(gc, sessionCookie, token, 0, http.SameSiteLaxMode)
	next := v.Next
	if next == "" {
		next = Prefix + "/"
	}
	gc.Redirect(http.StatusSeeOther, next)
}

// signOut ends the session.
func (c *console) signOut(gc *gin.Context) {
	st, sess := staffOf(gc), sessionOf(gc)
	if err := c.store.DeleteConsoleSession(gc.Request.Context(), sess.ID); err != nil {
		c.outage(gc, "delete session", err)
		return
	}
	c.audit(gc, st.Username, actionSignOut, st.Username, models.OutcomeOK, "")
	c.setCookie(gc, sessionCookie, "", -1, http.SameSiteLaxMode)
	gc.Redirect(http.StatusSeeOther, Prefix+"/login?signed_out=1")
}

// truncate bounds free text (a typed username, a user agent) to n runes.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
