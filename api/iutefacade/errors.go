package iutefacade

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/iutewire"
)

// writeError answers the HTML error page and aborts the handler chain.
func (h *handlers) writeError(c *gin.Context, status int, message string, problems []iutewire.Problem) {
	page, err := iutewire.ErrorPage(status, message, problems)
	if err != nil {
		// The template and its data are fixed shapes: this is a bug.
		h.log.Error("render iute error page", "error", err)
		page = []byte(template.HTMLEscapeString(message))
	}
	c.Abort()
	c.Data(status, iutewire.ContentTypeHTML, page)
}

// Messages of the errors that are not about a parameter.
const (
	msgNoCredentials    = "Authentication required: send the partner's username and password with HTTP Basic authentication."
	msgBadCredentials   = "Authentication failed: wrong username or password."
	msgWrongPartnerType = "Authentication failed: partner_type does not match the partner's account."
	msgNotFound         = "No loan found with this reference."
	msgUnavailable      = "The service is temporarily unavailable; retry later."
	msgRateLimited      = "Too many requests from this partner; retry after the seconds in the Retry-After header."
)

// fail answers a Service error. The seed's shape is 400 for anything the
// caller can fix and 403 for authentication; an outage is 503, logged with
// its cause. renames maps the Service's field names (those of /v1's JSON)
// onto the interface's parameter names.
func (h *handlers) fail(c *gin.Context, err error, renames map[string]string) {
	var fe *formError
	if errors.As(err, &fe) {
		h.writeError(c, http.StatusBadRequest, fe.msg, nil)
		return
	}
	kind := failure.KindOf(err)
	message := msgUnavailable
	var problems []iutewire.Problem
	if se := failure.As(err); se != nil {
		message = se.Detail
		problems = renameFields(se.Fields, renames)
	}
	switch kind {
	case failure.KindUnauthorized:
		h.writeError(c, http.StatusForbidden, msgBadCredentials, nil)
	case failure.KindTooManyRequests:
		h.writeError(c, http.StatusForbidden, message, nil)
	case failure.KindForbidden:
		h.writeError(c, http.StatusForbidden, message, nil)
	case failure.KindNotFound:
		h.writeError(c, http.StatusBadRequest, msgNotFound, nil)
	case failure.KindInvalid, failure.KindConflict, failure.KindTooLarge, failure.KindUnsupportedMediaType:
		h.writeError(c, http.StatusBadRequest, message, problems)
	default:
		h.log.Error("iute request failed", "method", c.Request.Method, "route", c.FullPath(), "error", err)
		h.writeError(c, http.StatusServiceUnavailable, msgUnavailable, nil)
	}
}

func renameFields(fields failure.FieldErrors, renames map[string]string) []iutewire.Problem {
	out := make([]iutewire.Problem, len(fields))
	for i, f := range fields {
		if name, ok := renames[f.Field]; ok {
			f.Field = name
		}
		out[i] = iutewire.Problem{Field: f.Field, Message: f.Message}
	}
	return out
}
