package iute

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/loanflow/loanflow/internal/failure"
)

// errorPage is the HTML page every error answers with: the status, what
// went wrong and, for bad input, each parameter to fix.
var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>{{.Status}} {{.Title}}</title>
</head>
<body>
<h1>HTTP Status {{.Status}} – {{.Title}}</h1>
<p>{{.Message}}</p>
{{- if .Fields}}
<ul>
{{- range .Fields}}
<li><b>{{.Field}}</b>: {{.Message}}</li>
{{- end}}
</ul>
{{- end}}
</body>
</html>
`))

type errorView struct {
	Status  int
	Title   string
	Message string
	Fields  []failure.FieldError
}

// writeError answers an HTML error page and aborts the handler chain.
func (h *handlers) writeError(c *gin.Context, status int, message string, fields []failure.FieldError) {
	var buf bytes.Buffer
	if err := errorPage.Execute(&buf, errorView{Status: status, Title: http.StatusText(status), Message: message, Fields: fields}); err != nil {
		// The template and its data are fixed shapes: this is a bug.
		h.log.Error("render iute error page", "error", err)
		buf.Reset()
		buf.WriteString(template.HTMLEscapeString(message))
	}
	c.Abort()
	c.Data(status, htmlContentType, buf.Bytes())
}

// Messages of the errors that are not about a parameter.
const (
	msgNoCredentials    = "Authentication required: send the partner's username and password with HTTP Basic authentication."
	msgBadCredentials   = "Authentication failed: wrong username or password."
	msgWrongPartnerType = "Authentication failed: partner_type does not match the partner's account."
	msgNotFound         = "No loan found with this reference."
	msgUnavailable      = "The service is temporarily unavailable; retry later."
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
	var fields []failure.FieldError
	if se := failure.As(err); se != nil {
		message = se.Detail
		fields = renameFields(se.Fields, renames)
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
		h.writeError(c, http.StatusBadRequest, message, fields)
	default:
		h.log.Error("iute request failed", "method", c.Request.Method, "route", c.FullPath(), "error", err)
		h.writeError(c, http.StatusServiceUnavailable, msgUnavailable, nil)
	}
}

func renameFields(fields failure.FieldErrors, renames map[string]string) []failure.FieldError {
	out := make([]failure.FieldError, len(fields))
	for i, f := range fields {
		if name, ok := renames[f.Field]; ok {
			f.Field = name
		}
		out[i] = f
	}
	return out
}
