package console

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/trustedproxy"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// Cookie names. The session cookie carries the token; the login cookie a
// one-use token that ties the sign-in form to the browser it was shown to.
const (
	sessionCookie = "loanflow_console"
	loginCookie   = "loanflow_console_login"
)

// touchInterval: last-seen times are written at most this often, so reading
// a page does not always cost a database write. The idle timeout is thus
// honoured to within this much.
const touchInterval = time.Minute

// Context keys of the signed-in staff member and session.
const (
	ctxStaff   = "console.staff"
	ctxSession = "console.session"
)

func staffOf(gc *gin.Context) *models.Staff { return gc.MustGet(ctxStaff).(*models.Staff) }

func sessionOf(gc *gin.Context) *models.ConsoleSession {
	return gc.MustGet(ctxSession).(*models.ConsoleSession)
}

// randomToken is 32 bytes from crypto/rand, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func (c *console) setCookie(gc *gin.Context, name, value string, maxAge int, sameSite http.SameSite) {
	http.SetCookie(gc.Writer, &http.Cookie{
		Name: name, Value: value, Path: Prefix, MaxAge: maxAge,
		// Secure when the browser reached us over TLS, directly or through
		// a trusted proxy (the engine's rule, trustedproxy).
		HttpOnly: true, Secure: trustedproxy.HTTPS(gc), SameSite: sameSite,
	})
}

// sessionState is why a request has no session.
type sessionState int

const (
	noSession sessionState = iota
	sessionExpired
	sessionOK
)

// currentSession resolves the request's session cookie. An expired session,
// or one of a staff member since disabled or deleted, is deleted.
func (c *console) currentSession(gc *gin.Context) (*models.ConsoleSession, *models.Staff, sessionState, error) {
	ck, err := gc.Request.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil, nil, noSession, nil
	}
	ctx := gc.Request.Context()
	sess, err := c.store.GetConsoleSession(ctx, tokenHash(ck.Value))
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, noSession, nil
	}
	if err != nil {
		return nil, nil, noSession, err
	}
	now := c.now()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= c.o.IdleTimeout {
		return nil, nil, sessionExpired, c.store.DeleteConsoleSession(ctx, sess.ID)
	}
	st, err := c.store.StaffByID(ctx, sess.StaffID)
	switch {
	case errors.Is(err, models.ErrNotFound) || (err == nil && !st.Active):
		return nil, nil, noSession, c.store.DeleteConsoleSession(ctx, sess.ID)
	case err != nil:
		return nil, nil, noSession, err
	}
	if now.Sub(sess.LastSeenAt) >= touchInterval {
		if err := c.store.TouchConsoleSession(ctx, sess.ID, now); err != nil {
			return nil, nil, noSession, err
		}
		sess.LastSeenAt = now
	}
	return sess, st, sessionOK, nil
}

// authenticate admits requests with a live session; anyone else is sent to
// the sign-in page, which brings them back to a page they asked for. A POST
// without a session does nothing.
func (c *console) authenticate(gc *gin.Context) {
	sess, st, state, err := c.currentSession(gc)
	if err != nil {
		c.outage(gc, "read session", err)
		return
	}
	if state != sessionOK {
		q := url.Values{}
		if state == sessionExpired {
			q.Set("expired", "1")
		}
		if gc.Request.Method == http.MethodGet {
			q.Set("next", gc.Request.URL.RequestURI())
		}
		c.setCookie(gc, sessionCookie, "", -1, http.SameSiteLaxMode)
		to := Prefix + "/login"
		if len(q) > 0 {
			to += "?" + q.Encode()
		}
		gc.Redirect(http.StatusSeeOther, to)
		gc.Abort()
		return
	}
	gc.Set(ctxSession, sess)
	gc.Set(ctxStaff, st)
	gc.Next()
}

// maxFormBytes bounds a form body: reasons and product terms are short.
const maxFormBytes = 64 << 10

// checkCSRF requires every POST to carry the session's CSRF token, and
// refuses any a browser marks as cross-site outright.
func (c *console) checkCSRF(gc *gin.Context) {
	if gc.Request.Method != http.MethodPost {
		gc.Next()
		return
	}
	if !c.parseForm(gc) {
		return
	}
	if gc.GetHeader("Sec-Fetch-Site") == "cross-site" || !sameToken(gc.Request.PostForm.Get("csrf"), sessionOf(gc).CSRFToken) {
		st := staffOf(gc)
		c.audit(gc, st.Username, actionCSRF, gc.Request.URL.Path, models.OutcomeDenied, "missing or wrong CSRF token")
		c.renderError(gc, http.StatusForbidden, "This form is out of date",
			"The form was not sent from a page of this console, or it is from an earlier session. Nothing was changed. Go back, reload the page and try again.")
		gc.Abort()
		return
	}
	gc.Next()
}

// parseForm reads a bounded urlencoded body; false (answered) when it
// cannot.
func (c *console) parseForm(gc *gin.Context) bool {
	gc.Request.Body = http.MaxBytesReader(gc.Writer, gc.Request.Body, maxFormBytes)
	if err := gc.Request.ParseForm(); err != nil {
		c.renderError(gc, http.StatusBadRequest, "The form could not be read", "The form was too large or malformed. Nothing was changed.")
		gc.Abort()
		return false
	}
	return true
}

// allow admits the given roles. A refused POST is audited under action: an
// attempt at another role's action is worth knowing about.
func (c *console) allow(action string, roles ...lending.Role) gin.HandlerFunc {
	return func(gc *gin.Context) {
		st := staffOf(gc)
		for _, r := range roles {
			if st.Role == r {
				gc.Next()
				return
			}
		}
		if action != "" {
			c.audit(gc, st.Username, action, gc.Request.URL.Path, models.OutcomeDenied, "role "+string(st.Role)+" may not do this")
		}
		c.renderError(gc, http.StatusForbidden, "Not for your role",
			"You are signed in as "+st.Username+" ("+roleLabel(st.Role)+"). This page or action belongs to another role.")
		gc.Abort()
	}
}
