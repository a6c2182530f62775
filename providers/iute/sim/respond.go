package sim

import (
	"html"
	"net/http"
	"strings"

	"github.com/loanflow/loanflow/internal/iutewire"
)

// writeError answers like Iute's CRM does: an HTML page listing the errors, with 400 for refusals and
// 403 for authentication problems.
func writeError(w http.ResponseWriter, status int, msgs ...string) {
	problems := make([]iutewire.Problem, len(msgs))
	for i, m := range msgs {
		problems[i] = iutewire.Problem{Message: m}
	}
	page, err := iutewire.ErrorPage(status, "", problems)
	if err != nil {
		page = []byte(html.EscapeString(strings.Join(msgs, "; ")))
	}
	w.Header().Set("Content-Type", iutewire.ContentTypeHTML)
	w.WriteHeader(status)
	_, _ = w.Write(page)
}

// writeXML answers 200 with v.
func writeXML(w http.ResponseWriter, v any) {
	body, err := iutewire.EncodeXML(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", iutewire.ContentTypeXML)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
