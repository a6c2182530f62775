package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// secretView shows a password or credential once, right after it was made.
type secretView struct {
	Heading  string
	Username string
	Secret   string
	Note     string
}

// adminOf is the signed-in admin, as the service audits them.
func adminOf(gc *gin.Context) service.Admin {
	return service.Admin{Staff: staffOf(gc), ClientIP: gc.ClientIP()}
}

// showAccounts renders an accounts page (staff, partners) with the view
// load reads, as fill leaves it.
func showAccounts[V any](c *console, gc *gin.Context, page, title string, load func(*gin.Context) (*V, bool), status int, fill func(*V), errMsg string) {
	v, ok := load(gc)
	if !ok {
		return
	}
	fill(v)
	c.render(gc, status, page, title, v, errMsg)
}

// targetOf reads the :id account of an admin page with byID. When there is
// none it answers 404 and audits action as refused; kind names the account
// in the audit ("staff #7"), what on the page ("staff member").
func targetOf[T any](c *console, gc *gin.Context, action, kind, what string, byID func(context.Context, uint) (*T, error)) (*T, bool) {
	id, err := strconv.ParseUint(gc.Param("id"), 10, 32)
	var target *T
	if err == nil {
		target, err = byID(gc.Request.Context(), uint(id))
	}
	switch {
	case err == nil:
		return target, true
	case errors.Is(err, models.ErrNotFound) || errors.As(err, new(*strconv.NumError)):
		c.audit(gc, staffOf(gc).Username, action, kind+" #"+gc.Param("id"), models.OutcomeRefused, "no such "+what)
		c.notFound(gc, what)
	default:
		c.outage(gc, "read "+kind, err)
	}
	return nil, false
}

// fieldErrors are the service's field problems as the form shows them,
// under the form's field names (rename, when given, maps them).
func fieldErrors(err error, rename map[string]string) (map[string]string, bool) {
	fe := failure.As(err)
	if fe == nil || len(fe.Fields) == 0 || (fe.Kind != failure.KindInvalid && fe.Kind != failure.KindConflict) {
		return nil, false
	}
	errs := map[string]string{}
	for _, f := range fe.Fields {
		name := f.Field
		if to, ok := rename[name]; ok {
			name = to
		}
		if errs[name] == "" {
			errs[name] = sentence(f.Message)
		}
	}
	return errs, true
}

// adminFailed answers what an admin action's service call refused that is
// not a form's field problem.
func (c *console) adminFailed(gc *gin.Context, err error, what string) {
	fe := failure.As(err)
	switch failure.KindOf(err) {
	case failure.KindNotFound:
		c.notFound(gc, what)
	case failure.KindConflict:
		c.renderError(gc, http.StatusConflict, "Not on your own account", sentence(fe.Detail))
	case failure.KindForbidden:
		c.renderError(gc, http.StatusForbidden, "Not allowed", sentence(fe.Detail))
	case failure.KindInvalid:
		c.renderError(gc, http.StatusBadRequest, "Not changed", sentence(fe.Error()))
	default:
		c.outage(gc, "admin "+what, err)
	}
}
