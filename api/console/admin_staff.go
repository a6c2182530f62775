package console

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
)

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

// showStaff renders the page as fill leaves it.
func (c *console) showStaff(gc *gin.Context, status int, fill func(*staffView), errMsg string) {
	showAccounts(c, gc, "admin_staff", "Staff", c.staffView, status, fill, errMsg)
}

func (c *console) staffPage(gc *gin.Context) {
	c.showStaff(gc, http.StatusOK, func(*staffView) {}, "")
}

// showStaffPassword renders the staff page with a staff member's new password.
func (c *console) showStaffPassword(gc *gin.Context, heading, username, password, note string) {
	c.showStaff(gc, http.StatusOK, func(v *staffView) {
		v.Secret = &secretView{Heading: heading, Username: username, Secret: password, Note: note}
	}, "")
}

// createStaff adds a back-office user with a generated password, shown
// once on the answer to this request.
func (c *console) createStaff(gc *gin.Context) {
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
	c.createAccount(gc, newAccount{
		action: actionCreateStaff, target: "staff " + username, detail: "role " + string(role),
		kind: "staff", errs: errs, passwordLen: models.GeneratedPasswordLen,
		create: func(ctx context.Context, hash string, ev *models.ConsoleEvent) error {
			return c.store.CreateStaff(ctx, &models.Staff{Username: username, Name: name, Role: role, PasswordHash: hash, Active: true}, ev)
		},
		created: func(password string) {
			c.showStaffPassword(gc, "Staff member "+username+" created", username, password,
				"Give this password to "+name+" in person. It is shown only now; they can change it after signing in.")
		},
		refused: func(errs map[string]string) {
			c.showStaff(gc, http.StatusBadRequest, func(v *staffView) {
				v.Errors = errs
				v.Form.Username, v.Form.Name, v.Form.Role = username, name, role
			}, "The staff member was not created.")
		},
	})
}

// targetStaff reads the :id staff member, answering 404 when there is none.
func (c *console) targetStaff(gc *gin.Context, action string) (*models.Staff, bool) {
	return targetOf(c, gc, action, "staff", "staff member", c.store.StaffByID)
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
	password, hash, ok := c.newPassword(gc, models.GeneratedPasswordLen)
	if !ok {
		return
	}
	ev := c.event(gc, staffOf(gc).Username, actionResetPassword, "staff "+target.Username, models.OutcomeOK, "sessions ended")
	if err := c.store.SetStaffPassword(gc.Request.Context(), target.ID, hash, "", ev); err != nil {
		c.outage(gc, "reset password", err)
		return
	}
	c.showStaffPassword(gc, "New password for "+target.Username, target.Username, password,
		"Their open sessions have ended. The password is shown only now.")
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
