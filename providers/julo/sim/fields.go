package sim

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const dateLayout = "2006-01-02"

var (
	nikRE   = regexp.MustCompile(`^\d{16}$`)
	pinRE   = regexp.MustCompile(`^\d{6}$`)
	phoneRE = regexp.MustCompile(`^08\d{7,11}$`)
	postRE  = regexp.MustCompile(`^\d{5}$`)
)

// body is a decoded request: JSON (numbers kept exact) or form fields, as JULO reads both.
type body map[string]any

func decode(r *http.Request) (body, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json", "":
		var b body
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		if err := dec.Decode(&b); err != nil {
			return nil, fmt.Errorf("JSON parse error - %v", err)
		}
		return b, nil
	case "multipart/form-data", "application/x-www-form-urlencoded":
		if err := r.ParseMultipartForm(8 << 20); err != nil && err != http.ErrNotMultipart {
			return nil, err
		}
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		b := body{}
		for k := range r.PostForm {
			b[k] = r.PostForm.Get(k)
		}
		return b, nil
	}
	return nil, fmt.Errorf("Unsupported media type %q in request.", ct)
}

// checker collects field errors in DRF's "field: message" style.
type checker struct{ errs []string }

func (c *checker) add(field, msg string) { c.errs = append(c.errs, field+": "+msg) }

// refused answers the problems found, if any, with a 400 naming them all.
func (c *checker) refused(w http.ResponseWriter) bool {
	if c.errs == nil {
		return false
	}
	fail(w, http.StatusBadRequest, c.errs...)
	return true
}

func (c *checker) str(b body, field string, required bool) string {
	var s string
	switch v := b[field].(type) {
	case string:
		s = strings.TrimSpace(v)
	case json.Number:
		s = v.String()
	case nil:
	default:
		c.add(field, "Not a valid string.")
		return ""
	}
	if s == "" && required {
		c.add(field, "This field is required.")
	}
	return s
}

func (c *checker) match(b body, field string, re *regexp.Regexp, msg string) string {
	s := c.str(b, field, true)
	if s != "" && !re.MatchString(s) {
		c.add(field, msg)
	}
	return s
}

func (c *checker) email(b body, field string) string {
	s := c.str(b, field, true)
	if s == "" {
		return ""
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		c.add(field, "Enter a valid email address.")
	}
	return strings.ToLower(s)
}

func (c *checker) date(b body, field string, required bool) string {
	s := c.str(b, field, required)
	if s == "" {
		return ""
	}
	if _, err := time.Parse(dateLayout, s); err != nil {
		c.add(field, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
	}
	return s
}

// integer reads a whole number sent as a JSON number or a numeric string (JULO's example does both).
func (c *checker) integer(b body, field string, required bool, lo, hi int64) (int64, bool) {
	s := c.str(b, field, required)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		c.add(field, "A valid integer is required.")
		return 0, false
	}
	if n < lo || n > hi {
		c.add(field, fmt.Sprintf("Ensure this value is between %d and %d.", lo, hi))
		return 0, false
	}
	return n, true
}

func (c *checker) float(b body, field string, lo, hi float64) float64 {
	s := c.str(b, field, true)
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < lo || f > hi {
		c.add(field, fmt.Sprintf("A valid number between %v and %v is required.", lo, hi))
	}
	return f
}

func (c *checker) boolean(b body, field string) bool {
	switch v := b[field].(type) {
	case bool:
		return v
	case string:
		if t, err := strconv.ParseBool(v); err == nil {
			return t
		}
	case nil:
		c.add(field, "This field is required.")
		return false
	}
	c.add(field, "Must be a valid boolean.")
	return false
}

func (c *checker) oneOf(b body, field string, allowed ...string) string {
	s := c.str(b, field, true)
	if s == "" {
		return ""
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	c.add(field, fmt.Sprintf("%q is not a valid choice.", s))
	return s
}
