package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
)

// problemContentType is RFC 9457's media type.
const problemContentType = "application/problem+json"

// problemTypePrefix makes problem types URIs without inventing a web page.
const problemTypePrefix = "urn:loanflow:problem:"

// Problem is an RFC 9457 problem document. Errors lists the bad fields of a
// 400; it is empty otherwise.
type Problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []FieldError `json:"errors"`
}

// kindStatus maps failure kinds to HTTP statuses and problem type slugs.
var kindStatus = map[Kind]struct {
	status int
	slug   string
}{
	KindInvalid:              {http.StatusBadRequest, "invalid-request"},
	KindUnauthorized:         {http.StatusUnauthorized, "unauthorized"},
	KindForbidden:            {http.StatusForbidden, "forbidden"},
	KindNotFound:             {http.StatusNotFound, "not-found"},
	KindConflict:             {http.StatusConflict, "conflict"},
	KindTooLarge:             {http.StatusRequestEntityTooLarge, "too-large"},
	KindUnsupportedMediaType: {http.StatusUnsupportedMediaType, "unsupported-media-type"},
	KindTooManyRequests:      {http.StatusTooManyRequests, "too-many-requests"},
	KindUnavailable:          {http.StatusServiceUnavailable, "unavailable"},
}

// writeProblem answers a problem document and aborts the handler chain.
func writeProblem(c *gin.Context, status int, slug, detail string, fields []FieldError) {
	if fields == nil {
		fields = []FieldError{}
	}
	body, _ := json.Marshal(Problem{ // strings and ints only: cannot fail
		Type:   problemTypePrefix + slug,
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Errors: fields,
	})
	c.Abort()
	c.Data(status, problemContentType, body)
}

// respondError answers err as a problem. Outages are logged with their
// cause and answered with a generic detail: internals never reach a client.
func (h *handlers) respondError(c *gin.Context, err error) {
	kind := KindOf(err)
	ks, ok := kindStatus[kind]
	if !ok {
		ks = kindStatus[KindUnavailable]
		kind = KindUnavailable
	}
	var se *Error
	var ee *EngineError
	switch {
	case errors.As(err, &se):
		slug := ks.slug
		if se.Type != "" {
			slug = se.Type
		}
		if kind == KindUnavailable {
			h.log.Error("request failed", "method", c.Request.Method, "route", c.FullPath(), "error", err)
		}
		writeProblem(c, ks.status, slug, se.Detail, se.Fields)
	case errors.As(err, &ee):
		slug := ks.slug
		if kind == KindConflict {
			slug = "illegal-transition"
		}
		if kind == KindUnavailable {
			h.log.Error("engine call failed", "method", c.Request.Method, "route", c.FullPath(), "error", err)
		}
		writeProblem(c, ks.status, slug, ee.Message, nil)
	default:
		h.log.Error("request failed", "method", c.Request.Method, "route", c.FullPath(), "error", err)
		writeProblem(c, http.StatusServiceUnavailable, "unavailable", "the service is temporarily unavailable, retry later", nil)
	}
}
