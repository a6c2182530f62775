package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/loanflow/loanflow/internal/failure"
	"github.com/shopspring/decimal"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 64 << 10

// dateLayout is how every date travels: YYYY-MM-DD.
const dateLayout = "2006-01-02"

// amountPattern admits plain decimal numbers only: no exponents, no
// thousands separators, bounded so no amount overflows a numeric column.
var amountPattern = regexp.MustCompile(`^-?[0-9]{1,15}(\.[0-9]{1,12})?$`)

// jsonObject reads a JSON object field by field, collecting one error per
// bad field instead of stopping at the first, and flags fields it was not
// asked for (unknown fields are rejected).
type jsonObject struct {
	path   string // prefix of field names: "" or "applicant."
	fields map[string]json.RawMessage
	seen   map[string]bool
	errs   *failure.FieldErrors
	// broken: the object could not be decoded (already flagged), so its
	// fields are not reported missing one by one.
	broken bool
}

var errBodyTooLarge = &failure.Error{Kind: failure.KindTooLarge, Detail: "the request body is larger than 64 KB"}

// readJSONObject reads the request body as a JSON object. An empty body is
// an empty object when optional, else a field error on "body". A body that
// is not JSON, or not an object, is a field error; a body over 64 KB is 413.
func readJSONObject(c *gin.Context, errs *failure.FieldErrors, optional bool) (*jsonObject, error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errBodyTooLarge
		}
		return nil, failure.Invalid("body", "could not be read")
	}
	return parseJSONObject(body, errs, optional), nil
}

// parseJSONObject is readJSONObject on a body already read.
func parseJSONObject(body []byte, errs *failure.FieldErrors, optional bool) *jsonObject {
	obj := &jsonObject{seen: map[string]bool{}, errs: errs}
	if len(bytes.TrimSpace(body)) == 0 {
		if !optional {
			errs.Add("body", "required: a JSON object")
			obj.broken = true
		}
		return obj
	}
	if err := json.Unmarshal(body, &obj.fields); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			errs.Add("body", "must be a JSON object")
		} else {
			errs.Add("body", "is not valid JSON")
		}
		obj.fields, obj.broken = nil, true
	}
	return obj
}

func (o *jsonObject) name(key string) string { return o.path + key }

// raw returns the field's JSON, nil when absent or null.
func (o *jsonObject) raw(key string) json.RawMessage {
	o.seen[key] = true
	v, ok := o.fields[key]
	if !ok || string(v) == "null" {
		return nil
	}
	return v
}

// decode reads the value v of key into out; a value out cannot hold is named under key, with want.
func (o *jsonObject) decode(key string, v json.RawMessage, out any, want string) bool {
	if err := json.Unmarshal(v, out); err != nil {
		o.errs.Add(o.name(key), "%s", want)
		return false
	}
	return true
}

// String reads an optional string field ("" when absent).
func (o *jsonObject) String(key string) string {
	v := o.raw(key)
	if v == nil {
		return ""
	}
	var s string
	o.decode(key, v, &s, "must be a string")
	return s
}

// OptionalBool reads an optional boolean field (nil when absent).
func (o *jsonObject) OptionalBool(key string) *bool {
	v := o.raw(key)
	if v == nil {
		return nil
	}
	var b bool
	if !o.decode(key, v, &b, "must be true or false") {
		return nil
	}
	return &b
}

// Strings reads an optional array of strings (nil when absent); an item
// that is not a string is named by its index (events[2]).
func (o *jsonObject) Strings(key string) []string {
	v := o.raw(key)
	if v == nil {
		return nil
	}
	var items []json.RawMessage
	if !o.decode(key, v, &items, "must be an array of strings") {
		return nil
	}
	out := make([]string, len(items))
	for i, item := range items {
		if json.Unmarshal(item, &out[i]) != nil || string(item) == "null" {
			o.errs.Add(fmt.Sprintf("%s[%d]", o.name(key), i), "must be a string")
		}
	}
	return out
}

// Int reads a required integer field.
func (o *jsonObject) Int(key string) int {
	v := o.raw(key)
	if v == nil {
		o.missing(key)
		return 0
	}
	n, err := strconv.ParseInt(string(v), 10, 32)
	if err != nil {
		o.errs.Add(o.name(key), "must be an integer (at most 2147483647)")
		return 0
	}
	return int(n)
}

// Decimal reads a required amount, given as a JSON string ("2000.00") or a
// plain number literal; it never passes through a float.
func (o *jsonObject) Decimal(key string) decimal.Decimal {
	v := o.raw(key)
	if v == nil {
		o.missing(key)
		return decimal.Zero
	}
	text := string(v)
	if len(v) > 0 && v[0] == '"' {
		if err := json.Unmarshal(v, &text); err != nil {
			text = ""
		}
	}
	d, ok := parseAmount(text)
	if !ok {
		o.errs.Add(o.name(key), "must be a decimal number such as \"2000.00\"")
	}
	return d
}

// Date reads a YYYY-MM-DD string; required or not, a present value must
// parse. It answers nil when absent.
func (o *jsonObject) Date(key string, required bool) *time.Time {
	v := o.raw(key)
	if v == nil {
		if required {
			o.missing(key)
		}
		return nil
	}
	var s string
	if !o.decode(key, v, &s, "must be a date string YYYY-MM-DD") {
		return nil
	}
	t, ok := parseDate(s)
	if !ok {
		o.errs.Add(o.name(key), "must be a date YYYY-MM-DD")
		return nil
	}
	return &t
}

// Object reads a nested object; absent, it reads as empty so its required
// fields are reported one by one.
func (o *jsonObject) Object(key string) *jsonObject {
	child := &jsonObject{path: o.name(key) + ".", seen: map[string]bool{}, errs: o.errs, broken: o.broken}
	v := o.raw(key)
	if v == nil {
		return child
	}
	if !o.decode(key, v, &child.fields, "must be an object") {
		child.fields, child.broken = nil, true
	}
	return child
}

func (o *jsonObject) missing(key string) {
	if !o.broken {
		o.errs.Add(o.name(key), "required")
	}
}

// Done flags every field that was not read: unknown fields are rejected so
// a misspelt optional field is not silently ignored.
func (o *jsonObject) Done() {
	unknown := make([]string, 0)
	for k := range o.fields {
		if !o.seen[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		o.errs.Add(o.name(k), "unknown field")
	}
}

func parseAmount(s string) (decimal.Decimal, bool) {
	if !amountPattern.MatchString(s) {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(s)
	return d, err == nil
}

func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(dateLayout, s)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t, true
}
