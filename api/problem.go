package api

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/loanflow/loanflow/internal/failure"
)

// problemContentType is RFC 9457's media type.
const problemContentType = "application/problem+json"

// problemTypePrefix makes problem types URIs without inventing a web page.
const problemTypePrefix = "urn:loanflow:problem:"

// Problem is an RFC 9457 problem document. Errors lists the bad fields of a
// 400; it is empty otherwise.
type Problem struct {
	Type   string               `json:"type"`
	Title  string               `json:"title"`
	Status int                  `json:"status"`
	Detail string               `json:"detail,omitempty"`
	Errors []failure.FieldError `json:"errors"`
	// Extensions are members beside the standard ones (RFC 9457 §3.2),
	// such as the payoff quote a settlement did not match.
	Extensions map[string]any `json:"-"`
}

// MarshalJSON writes the extensions as members of the document itself; a
// standard member's name is never overwritten.
func (p Problem) MarshalJSON() ([]byte, error) {
	type plain Problem
	body, err := json.Marshal(plain(p))
	if err != nil || len(p.Extensions) == 0 {
		return body, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		return nil, err
	}
	for k, v := range p.Extensions {
		if _, standard := members[k]; standard {
			continue
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		members[k] = raw
	}
	return json.Marshal(members)
}

// kindStatus maps failure kinds to HTTP statuses and problem type slugs.
var kindStatus = map[failure.Kind]struct {
	status int
	slug   string
}{
	failure.KindInvalid:              {http.StatusBadRequest, "invalid-request"},
	failure.KindUnauthorized:         {http.StatusUnauthorized, "unauthorized"},
	failure.KindForbidden:            {http.StatusForbidden, "forbidden"},
	failure.KindNotFound:             {http.StatusNotFound, "not-found"},
	failure.KindConflict:             {http.StatusConflict, "conflict"},
	failure.KindTooLarge:             {http.StatusRequestEntityTooLarge, "too-large"},
	failure.KindUnsupportedMediaType: {http.StatusUnsupportedMediaType, "unsupported-media-type"},
	failure.KindTooManyRequests:      {http.StatusTooManyRequests, "too-many-requests"},
	failure.KindUnavailable:          {http.StatusServiceUnavailable, "unavailable"},
}

// retryAfterSeconds is the pause a 503 asks for: outages of the database or
// Temporal, and calls the loan engine did not finish in time, which a retry
// with the same Idempotency-Key joins without doing anything twice.
const retryAfterSeconds = "5"

// writeProblem answers a problem document and aborts the handler chain.
func writeProblem(c *gin.Context, status int, slug, detail string, fields []failure.FieldError) {
	writeProblemDoc(c, Problem{Type: problemTypePrefix + slug, Title: http.StatusText(status), Status: status, Detail: detail, Errors: fields})
}

func writeProblemDoc(c *gin.Context, p Problem) {
	if p.Status == http.StatusServiceUnavailable {
		c.Header("Retry-After", retryAfterSeconds)
	}
	if p.Errors == nil {
		p.Errors = []failure.FieldError{}
	}
	body, err := json.Marshal(p)
	if err != nil { // an extension that does not marshal: answer without it
		p.Extensions = nil
		body, _ = json.Marshal(p) // strings and ints only: cannot fail
	}
	c.Abort()
	c.Data(p.Status, problemContentType, body)
}

// respondError answers err as a problem. Outages are logged with their
// cause and answered with a generic detail: internals never reach a client.
func (h *handlers) respondError(c *gin.Context, err error) {
	fe := failure.As(err)
	if fe == nil {
		fe = failure.Unavailable(err).(*failure.Error)
	}
	ks, ok := kindStatus[fe.Kind]
	if !ok {
		ks = kindStatus[failure.KindUnavailable]
	}
	if fe.Kind == failure.KindUnavailable {
		h.log.ErrorContext(c.Request.Context(), "request failed", "method", c.Request.Method, "route", c.FullPath(), "error", err)
	}
	slug := ks.slug
	if fe.Type != "" {
		slug = fe.Type
	}
	writeProblemDoc(c, Problem{Type: problemTypePrefix + slug, Title: http.StatusText(ks.status), Status: ks.status,
		Detail: fe.Detail, Errors: fe.Fields, Extensions: fe.Extensions})
}
