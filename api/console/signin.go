package console

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

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
// anything else would make the sign-in page an open redirect.
func safeNext(next string) string {
	if !strings.HasPrefix(next, Prefix+"/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") ||
		strings.HasPrefix(next, Prefix+"/login") || strings.HasPrefix(next, Prefix+"/static/") {
		return ""
	}
	return next
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

// signIn checks the form token, the rate limits and the password, in that
// order: a blocked attempt costs no bcrypt comparison. Every outcome is
// audited.
func (c *console) signIn(gc *gin.Context) {
	if !c.parseForm(gc) {
		return
	}
	ctx := gc.Request.Context()
	form := gc.Request.PostForm
	v := loginView{Next: safeNext(form.Get("next")), Username: strings.TrimSpace(form.Get("username"))}
	password := form.Get("password")
	ip := gc.ClientIP()
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

	blocked, err := c.signInBlocked(gc, target, ip)
	if err != nil {
		c.outage(gc, "check sign-in rate", err)
		return
	}
	if blocked {
		c.audit(gc, "", actionSignIn, target, models.OutcomeRateLimited, "too many failed sign-ins")
		mins := int(c.o.FailureWindow.Round(time.Minute) / time.Minute)
		gc.Header("Retry-After", strconv.Itoa(int(c.o.FailureWindow/time.Second)))
		c.showLogin(gc, http.StatusTooManyRequests, v,
			fmt.Sprintf("Too many failed sign-ins for this account or from this address. Try again in %d minutes.", mins))
		return
	}

	st, err := c.store.StaffByUsername(ctx, v.Username)
	hash, why := "", "unknown username"
	switch {
	case err == nil:
		hash, why = st.PasswordHash, "wrong password"
	case !errors.Is(err, models.ErrNotFound):
		c.outage(gc, "read staff", err)
		return
	}
	// One bcrypt comparison whatever the case, so timing tells nothing.
	ok := models.CheckPassword(hash, password)
	if ok && !st.Active {
		ok, why = false, "account disabled"
	}
	if !ok {
		c.audit(gc, "", actionSignIn, target, models.OutcomeFailed, why)
		c.showLogin(gc, http.StatusUnauthorized, v, "Wrong username or password.")
		return
	}

	now := c.now()
	token := randomToken()
	sess := &models.ConsoleSession{
		ID: tokenHash(token), StaffID: st.ID, CSRFToken: randomToken(),
		ClientIP: ip, UserAgent: truncate(gc.Request.UserAgent(), 255),
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

// signInBlocked applies the per-user and per-address limits. The counts come
// from the audit log, so they hold across replicas and restarts. A user's
// count starts over after a successful sign-in; an address's does not, or
// one valid account would let its holder guess others' passwords forever.
// The per-user count is kept per address too: counted across all addresses,
// anyone could lock a colleague out by failing five times on purpose.
// Guessing one account from many addresses is bounded by each address's own
// limit.
func (c *console) signInBlocked(gc *gin.Context, username, ip string) (bool, error) {
	ctx := gc.Request.Context()
	since := c.now().Add(-c.o.FailureWindow)
	last, _, err := c.store.ListConsoleEvents(ctx, models.ConsoleEventFilter{
		Action: actionSignIn, Outcome: models.OutcomeOK, Target: username, Since: &since, Limit: 1,
	})
	if err != nil {
		return false, err
	}
	userSince := since
	if len(last) > 0 {
		userSince = last[0].At
	}
	n, err := c.store.CountConsoleEvents(ctx, models.ConsoleEventFilter{
		Action: actionSignIn, Outcome: models.OutcomeFailed, Target: username, ClientIP: ip, Since: &userSince,
	})
	if err != nil || n >= int64(c.o.MaxFailuresPerUser) {
		return err == nil, err
	}
	n, err = c.store.CountConsoleEvents(ctx, models.ConsoleEventFilter{
		Action: actionSignIn, Outcome: models.OutcomeFailed, ClientIP: ip, Since: &since,
	})
	return err == nil && n >= int64(c.o.MaxFailuresPerIP), err
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
