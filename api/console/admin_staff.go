package console

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
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
	list, err := c.svc.ListStaff(gc.Request.Context(), adminOf(gc))
	if err != nil {
		c.adminFailed(gc, err, "staff")
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
	n := service.NewStaff{Username: strings.TrimSpace(form.Get("username")), Name: strings.TrimSpace(form.Get("name")),
		Role: lending.Role(form.Get("role"))}
	st, password, err := c.svc.CreateStaff(gc.Request.Context(), adminOf(gc), n)
	if err == nil {
		c.showStaffPassword(gc, "Staff member "+st.Username+" created", st.Username, password,
			"Give this password to "+st.Name+" in person. It is shown only now; they can change it after signing in.")
		return
	}
	errs, ok := fieldErrors(err, nil)
	if !ok {
		c.adminFailed(gc, err, "staff member")
		return
	}
	c.showStaff(gc, http.StatusBadRequest, func(v *staffView) {
		v.Errors = errs
		v.Form.Username, v.Form.Name, v.Form.Role = n.Username, n.Name, n.Role
	}, "The staff member was not created.")
}

// targetStaff reads the :id staff member, answering 404 when there is none.
func (c *console) targetStaff(gc *gin.Context, action string) (*models.Staff, bool) {
	return targetOf(c, gc, action, "staff", "staff member", c.store.StaffByID)
}

func (c *console) setStaffActive(active bool) gin.HandlerFunc {
	action, verb := actionDisableStaff, "disabled"
	if active {
		action, verb = actionEnableStaff, "enabled"
	}
	return func(gc *gin.Context) {
		target, ok := c.targetStaff(gc, action)
		if !ok {
			return
		}
		if _, err := c.svc.SetStaffActive(gc.Request.Context(), adminOf(gc), target.Username, active); err != nil {
			c.adminFailed(gc, err, "staff member")
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
	if !ok {
		return
	}
	_, password, err := c.svc.ResetStaffPassword(gc.Request.Context(), adminOf(gc), target.Username)
	if err != nil {
		c.adminFailed(gc, err, "staff member")
		return
	}
	c.showStaffPassword(gc, "New password for "+target.Username, target.Username, password,
		"Their open sessions have ended. The password is shown only now.")
}

// changeStaffRole moves a staff member to another role.
func (c *console) changeStaffRole(gc *gin.Context) {
	target, ok := c.targetStaff(gc, actionChangeRole)
	if !ok {
		return
	}
	role := lending.Role(gc.Request.PostForm.Get("role"))
	if _, err := c.svc.SetStaffRole(gc.Request.Context(), adminOf(gc), target.Username, role); err != nil {
		if _, invalid := fieldErrors(err, nil); invalid {
			c.renderError(gc, http.StatusBadRequest, "Unknown role", "Choose underwriter, operations or admin.")
			return
		}
		c.adminFailed(gc, err, "staff member")
		return
	}
	c.redirectWithFlash(gc, Prefix+"/admin/staff", fmt.Sprintf("%s is now %s.", target.Username, roleLabel(role)))
}
