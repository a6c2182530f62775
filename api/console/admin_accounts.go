package console

import (
	"context"
	"errors"
	"regexp"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/models"
)

// usernamePattern is what staff and partner usernames may look like: they
// appear in audit actors ("staff:alice") and in HTTP Basic credentials.
var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,31}$`)

const usernameRule = "3 to 32 characters: lower-case letters, digits, dot, dash, underscore."

// secretView shows a password or credential once, right after it was made.
type secretView struct {
	Heading  string
	Username string
	Secret   string
	Note     string
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

// newPassword generates a password of n characters and its hash; only the
// hash is stored, the password is shown once.
func (c *console) newPassword(gc *gin.Context, n int) (password, hash string, ok bool) {
	password = models.GeneratePassword(n)
	hash, err := models.HashPassword(password)
	if err != nil {
		c.outage(gc, "hash password", err)
		return "", "", false
	}
	return password, hash, true
}

// newAccount is what creating a staff member and creating a partner share:
// a checked form, a generated password stored hashed and shown once, a taken
// username sent back to the form, and the refusal audited.
type newAccount struct {
	action      string // audited
	target      string // audited, e.g. "partner shopco"
	detail      string // audited with the creation
	kind        string // names the account in an outage
	errs        map[string]string
	passwordLen int
	create      func(ctx context.Context, hash string, ev *models.ConsoleEvent) error
	// created renders the page with the new password; refused renders the
	// form again, with the problems.
	created func(password string)
	refused func(errs map[string]string)
}

func (c *console) createAccount(gc *gin.Context, a newAccount) {
	actor := staffOf(gc).Username
	if len(a.errs) == 0 {
		password, hash, ok := c.newPassword(gc, a.passwordLen)
		if !ok {
			return
		}
		err := a.create(gc.Request.Context(), hash, c.event(gc, actor, a.action, a.target, models.OutcomeOK, a.detail))
		switch {
		case err == nil:
			a.created(password)
			return
		case errors.Is(err, models.ErrConflict):
			a.errs["username"] = "This username is taken."
		default:
			c.outage(gc, "create "+a.kind, err)
			return
		}
	}
	c.audit(gc, actor, a.action, a.target, models.OutcomeRefused, "invalid input")
	a.refused(a.errs)
}
