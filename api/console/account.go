package console

import (
	"crypto/rand"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/models"
)

// Password rules for staff: long enough to resist guessing, short enough
// for bcrypt (which reads only 72 bytes).
const (
	minPasswordLen = 12
	maxPasswordLen = 72
)

// passwordAlphabet avoids look-alikes (0/O, 1/l/I) so a password read off
// the screen is typed right.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// generatePassword is n characters from crypto/rand.
func generatePassword(n int) string {
	return randomFrom(passwordAlphabet, n)
}

func randomFrom(alphabet string, n int) string {
	out := make([]byte, n)
	buf := make([]byte, 1)
	for i := 0; i < n; {
		_, _ = rand.Read(buf)
		// Rejection sampling keeps every character equally likely.
		if int(buf[0]) >= 256-256%len(alphabet) {
			continue
		}
		out[i] = alphabet[int(buf[0])%len(alphabet)]
		i++
	}
	return string(out)
}

// checkNewPassword returns what is wrong with a chosen password, or "".
func checkNewPassword(pw, confirm string) string {
	switch {
	case len([]rune(pw)) < minPasswordLen:
		return "Use at least 12 characters."
	case len(pw) > maxPasswordLen:
		return "Use at most 72 bytes."
	case pw != confirm:
		return "The two entries differ."
	}
	return ""
}

type passwordView struct {
	Errors map[string]string
}

func (c *console) passwordPage(gc *gin.Context) {
	c.render(gc, http.StatusOK, "account", "Change your password", passwordView{Errors: map[string]string{}}, "")
}

// changePassword lets anyone signed in change their own password; their
// other sessions end.
func (c *console) changePassword(gc *gin.Context) {
	st, sess := staffOf(gc), sessionOf(gc)
	form := gc.Request.PostForm
	v := passwordView{Errors: map[string]string{}}
	current, next := form.Get("current"), form.Get("new")
	if !models.CheckPassword(st.PasswordHash, current) {
		v.Errors["current"] = "This is not your current password."
	}
	if msg := checkNewPassword(next, form.Get("confirm")); msg != "" {
		v.Errors["new"] = msg
	} else if next == current {
		v.Errors["new"] = "Choose a password different from the current one."
	}
	if len(v.Errors) > 0 {
		c.audit(gc, st.Username, actionChangePassword, "staff "+st.Username, models.OutcomeRefused, "invalid input")
		c.render(gc, http.StatusBadRequest, "account", "Change your password", v, "Your password was not changed.")
		return
	}
	hash, err := models.HashPassword(next)
	if err != nil {
		c.outage(gc, "hash password", err)
		return
	}
	ev := c.event(gc, st.Username, actionChangePassword, "staff "+st.Username, models.OutcomeOK, "other sessions ended")
	if err := c.store.SetStaffPassword(gc.Request.Context(), st.ID, hash, sess.ID, ev); err != nil {
		c.outage(gc, "set password", err)
		return
	}
	c.redirectWithFlash(gc, homeURL(st), "Your password is changed. Your sessions in other browsers are signed out.")
}
