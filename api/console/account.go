package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/models"
)

// checkNewPassword returns what is wrong with a chosen password, or "".
func checkNewPassword(pw, confirm string) string {
	if msg := models.PasswordProblem(pw); msg != "" {
		return msg
	}
	if pw != confirm {
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
