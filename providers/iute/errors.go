package iute

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"github.com/loanflow/loanflow/providers"
)

// Error codes this package sets on *providers.Error, besides the shared providers.Code* ones for
// transport failures and unreadable answers.
const (
	CodeBadRequest   = "bad_request"    // 400: validation or business refusal, Message is Iute's text
	CodeForbidden    = "forbidden"      // 401/403: credentials or partner_type refused
	CodeNotFound     = "not_found"      // 404: wrong base URL or path
	CodeNoActiveLoan = "no_active_loan" // check loan info answered status -1
	CodeDuplicate    = "duplicate_application"
	CodeServer       = "server_error" // 5xx
)

// duplicateRE finds the application Iute names when it refuses a second one for the same person.
var duplicateRE = regexp.MustCompile(`already has loan application (\d+)`)

func newError(op string, status int, code, msg string) *providers.Error {
	return &providers.Error{Provider: Provider, Op: op, Status: status, Code: code, Message: msg}
}

// statusError classifies a non-2xx answer: Iute's 400 is a refusal carrying its message, its 403 the
// operator's (see providers.Error.Operator), the
// rest follows the shared rules (5xx retryable, ambiguous on writes unless 503).
func statusError(op string, status int, body []byte, write bool) *providers.Error {
	msg := errorMessage(body)
	if msg == "" {
		msg = http.StatusText(status)
	}
	switch status {
	case http.StatusBadRequest:
		code := CodeBadRequest
		if duplicateRE.MatchString(msg) {
			code = CodeDuplicate
		}
		return newError(op, status, code, msg)
	case http.StatusUnauthorized, http.StatusForbidden:
		// Our credentials or partner type: the operator's to fix, retried meanwhile.
		e := newError(op, status, CodeForbidden, msg)
		e.MarkOperator()
		return e
	case http.StatusNotFound:
		return newError(op, status, CodeNotFound, msg)
	}
	code := ""
	if status >= 500 {
		code = CodeServer
	}
	return providers.StatusError(Provider, op, status, code, msg, write)
}

// ExistingLoanRef reports the loan ref of the open application Iute named when it refused AddLoan for a
// person who already has one. After an ambiguous AddLoan, resubmitting and reading this ref is how a
// caller finds the application its lost request created.
func ExistingLoanRef(err error) (int64, bool) {
	pe, ok := providers.AsError(err)
	if !ok || pe.Provider != Provider || pe.Code != CodeDuplicate {
		return 0, false
	}
	m := duplicateRE.FindStringSubmatch(pe.Message)
	if m == nil {
		return 0, false
	}
	ref, perr := strconv.ParseInt(m[1], 10, 64)
	return ref, perr == nil
}

// IsNoActiveLoan reports whether err is check loan info's "No active loan found!" answer.
func IsNoActiveLoan(err error) bool {
	pe, ok := providers.AsError(err)
	return ok && pe.Provider == Provider && pe.Code == CodeNoActiveLoan
}

// errorMessage extracts the error text of Iute's HTML error page: list items when it lists several
// errors, paragraphs otherwise, then any body text, then headings; a non-HTML body is used as is.
func errorMessage(body []byte) string {
	if !bytes.Contains(body, []byte("<")) {
		return clip(strings.Join(strings.Fields(string(body)), " "))
	}
	var items, paras, text, heads []string
	var cur strings.Builder
	in := ""
	skip, heading := 0, 0
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		name, _ := z.TagName()
		switch tt {
		case html.StartTagToken:
			switch string(name) {
			case "li", "p":
				cur.Reset()
				in = string(name)
			case "head", "script", "style":
				skip++
			case "h1", "h2", "h3":
				heading++
			}
		case html.EndTagToken:
			switch string(name) {
			case "li", "p":
				if s := strings.Join(strings.Fields(cur.String()), " "); s != "" {
					if in == "li" {
						items = append(items, s)
					} else {
						paras = append(paras, s)
					}
				}
				in = ""
			case "head", "script", "style":
				skip--
			case "h1", "h2", "h3":
				heading--
			}
		case html.TextToken:
			raw := string(z.Text())
			s := strings.Join(strings.Fields(raw), " ")
			switch {
			case s == "" || skip > 0:
			case in != "":
				// Kept as written, so "<b>gsm</b>: bad" reads "gsm: bad"; spaces collapse at the end tag.
				cur.WriteString(raw)
			case heading > 0:
				heads = append(heads, s)
			default:
				text = append(text, s)
			}
		}
	}
	for _, parts := range [][]string{items, paras, text, heads} {
		if len(parts) > 0 {
			return clip(strings.Join(parts, "; "))
		}
	}
	return ""
}

func clip(s string) string {
	const limit = 1000
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}
