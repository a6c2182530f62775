package console

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

// secretView shows a password or credential once, right after it was made.
type secretView struct {
	Heading  string
	Username string
	Secret   string
	Note     string
}

type staffView struct {
	Staff []models.Staff
	Roles []lending.Role
	Form  struct {
		Username, Name string
		Role           lending.Role
	}
	Errors map[string]string
	Secret *secretView
}

func (c *console) staffView(gc *gin.Context) (*staffView, bool) {
	list, err := c.store.ListStaff(gc.Request.Context())
	if err != nil {
		c.outage(gc, "list staff", err)
		return nil, false
	}
	v := &staffView{Staff: list, Roles: lending.Roles, Errors: map[string]string{}}
	v.Form.Role = lending.RoleUnderwriter
	return v, true
}

func (c *console) staffPage(gc *gin.Context) {
	if v, ok := c.staffView(gc); ok {
		c.render(gc, http.StatusOK, "admin_staff", "Staff", v, "")
	}
}

// createStaff adds a back-office user with a generated password, shown
// once on the answer to this request.
func (c *console) createStaff(gc *gin.Context) {
	st := staffOf(gc)
	form := gc.Request.PostForm
	username := strings.TrimSpace(form.Get("username"))
	name := strings.TrimSpace(form.Get("name"))
	role := lending.Role(form.Get("role"))
	errs := map[string]string{}
	if !models.ValidUsername(username) {
		errs["username"] = models.UsernameRule
	}
	if name == "" || len([]rune(name)) > 100 {
		errs["name"] = "Give the person's name (up to 100 characters)."
	}
	if !role.Valid() {
		errs["role"] = "Choose a role."
	}
	target := "staff " + username
	if len(errs) == 0 {
		password := models.GeneratePassword(models.GeneratedPasswordLen)
		hash, err := models.HashPassword(password)
		if err != nil {
			c.outage(gc, "hash password", err)
			return
		}
		ev := c.event(gc, st.Username, actionCreateStaff, target, models.OutcomeOK, "role "+string(role))
		err = c.store.CreateStaff(gc.Request.Context(), &models.Staff{Username: username, Name: name, Role: role, PasswordHash: hash, Active: true}, ev)
		switch {
		case err == nil:
			v, ok := c.staffView(gc)
			if !ok {
				return
			}
			v.Secret = &secretView{Heading: "Staff member " + username + " created", Username: username, Secret: password,
				Note: "Give this password to " + name + " in person. It is shown only now; they can change it after signing in."}
			c.render(gc, http.StatusOK, "admin_staff", "Staff", v, "")
			return
		case errors.Is(err, models.ErrConflict):
			errs["username"] = "This username is taken."
		default:
			c.outage(gc, "create staff", err)
			return
		}
	}
	c.audit(gc, st.Username, actionCreateStaff, target, models.OutcomeRefused, "invalid input")
	v, ok := c.staffView(gc)
	if !ok {
		return
	}
	v.Errors = errs
	v.Form.Username, v.Form.Name, v.Form.Role = username, name, role
	c.render(gc, http.StatusBadRequest, "admin_staff", "Staff", v, "The staff member was not created.")
}

// targetStaff reads the :id staff member, answering 404 when there is none.
func (c *console) targetStaff(gc *gin.Context, action string) (*models.Staff, bool) {
	id, err := strconv.ParseUint(gc.Param("id"), 10, 32)
	var target *models.Staff
	if err == nil {
		target, err = c.store.StaffByID(gc.Request.Context(), uint(id))
	}
	switch {
	case err == nil:
		return target, true
	case errors.Is(err, models.ErrNotFound) || errors.As(err, new(*strconv.NumError)):
		c.audit(gc, staffOf(gc).Username, action, "staff #"+gc.Param("id"), models.OutcomeRefused, "no such staff member")
		c.notFound(gc, "staff member")
	default:
		c.outage(gc, "read staff", err)
	}
	return nil, false
}

// refuseSelf stops admins from locking themselves out.
func (c *console) refuseSelf(gc *gin.Context, target *models.Staff, action, what string) bool {
	st := staffOf(gc)
	if target.ID != st.ID {
		return false
	}
	c.audit(gc, st.Username, action, "staff "+target.Username, models.OutcomeRefused, "own account")
	c.renderError(gc, http.StatusConflict, "Not on your own account",
		"You cannot "+what+" your own account: ask another admin, so that no one locks themselves out.")
	return true
}

func (c *console) setStaffActive(active bool) gin.HandlerFunc {
	action, verb := actionDisableStaff, "disabled"
	if active {
		action, verb = actionEnableStaff, "enabled"
	}
	return func(gc *gin.Context) {
		target, ok := c.targetStaff(gc, action)
		if !ok || (!active && c.refuseSelf(gc, target, action, "disable")) {
			return
		}
		ev := c.event(gc, staffOf(gc).Username, action, "staff "+target.Username, models.OutcomeOK, "")
		if err := c.store.SetStaffActive(gc.Request.Context(), target.ID, active, ev); err != nil {
			c.outage(gc, "set staff active", err)
			return
		}
		msg := fmt.Sprintf("%s is %s.", target.Username, verb)
		if !active {
			msg += " Their open sessions have ended."
		}
		c.redirectWithFlash(gc, Prefix+"/admin/staff", msg)
	}
}

// resetStaffPassword gives a staff member a new generated password, shown
// once, and ends their sessions.
func (c *console) resetStaffPassword(gc *gin.Context) {
	target, ok := c.targetStaff(gc, actionResetPassword)
	if !ok || c.refuseSelf(gc, target, actionResetPassword, "reset the password of") {
		return
	}
	password := models.GeneratePassword(models.GeneratedPasswordLen)
	hash, err := models.HashPassword(password)
	if err != nil {
		c.outage(gc, "hash password", err)
		return
	}
	ev := c.event(gc, staffOf(gc).Username, actionResetPassword, "staff "+target.Username, models.OutcomeOK, "sessions ended")
	if err := c.store.SetStaffPassword(gc.Request.Context(), target.ID, hash, "", ev); err != nil {
		c.outage(gc, "reset password", err)
		return
	}
	v, ok := c.staffView(gc)
	if !ok {
		return
	}
	v.Secret = &secretView{Heading: "New password for " + target.Username, Username: target.Username, Secret: password,
		Note: "Their open sessions have ended. The password is shown only now."}
	c.render(gc, http.StatusOK, "admin_staff", "Staff", v, "")
}

// changeStaffRole moves a staff member to another role. The workflow keeps
// segregation of duties by person, not role: an underwriter who approved a
// loan and later moves to operations still cannot authorize its release.
func (c *console) changeStaffRole(gc *gin.Context) {
	target, ok := c.targetStaff(gc, actionChangeRole)
	if !ok || c.refuseSelf(gc, target, actionChangeRole, "change the role of") {
		return
	}
	role := lending.Role(gc.Request.PostForm.Get("role"))
	if !role.Valid() {
		c.audit(gc, staffOf(gc).Username, actionChangeRole, "staff "+target.Username, models.OutcomeRefused, "unknown role")
		c.renderError(gc, http.StatusBadRequest, "Unknown role", "Choose underwriter, operations or admin.")
		return
	}
	ev := c.event(gc, staffOf(gc).Username, actionChangeRole, "staff "+target.Username, models.OutcomeOK, string(target.Role)+" → "+string(role))
	if err := c.store.SetStaffRole(gc.Request.Context(), target.ID, role, ev); err != nil {
		c.outage(gc, "set role", err)
		return
	}
	c.redirectWithFlash(gc, Prefix+"/admin/staff", fmt.Sprintf("%s is now %s.", target.Username, roleLabel(role)))
}
