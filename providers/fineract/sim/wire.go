package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// body is a decoded JSON command body. Typed getters record validation problems instead of failing
// at the first, so one answer lists them all, as Fineract's DataValidatorBuilder does.
type body struct {
	resource string
	fields   map[string]json.RawMessage
	probs    problems

	localeChecked bool
	formatChecked bool
	locale        string
	layout        string
}

// parseBody reads a JSON object and refuses parameters the command does not support.
func parseBody(r *http.Request, resource string, supported ...string) (*body, *reply) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		rep := errorReply(http.StatusUnsupportedMediaType, "Content-Type must be application/json.",
			"Unsupported media type.", "error.msg.unsupported.media.type", nil)
		return nil, &rep
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		rep := validation(detail("body", "error.msg.invalid.request.body", "The request body could not be read.", nil))
		return nil, &rep
	}
	b := &body{resource: resource, fields: map[string]json.RawMessage{}}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &b.fields); err != nil {
			rep := validation(detail("body", "error.msg.invalid.json", "The request body is not a valid JSON object.", nil))
			return nil, &rep
		}
	}
	allowed := make(map[string]bool, len(supported))
	for _, s := range supported {
		allowed[s] = true
	}
	var unsupported []string
	for k := range b.fields {
		if !allowed[k] {
			unsupported = append(unsupported, k)
		}
	}
	if len(unsupported) > 0 {
		sort.Strings(unsupported)
		var p problems
		for _, k := range unsupported {
			p = append(p, detail(k, "error.msg.parameter.unsupported", fmt.Sprintf("The parameter %s is not supported.", k), nil))
		}
		rep := validation(p...)
		return nil, &rep
	}
	return b, nil
}

func (b *body) has(k string) bool {
	v, ok := b.fields[k]
	return ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null"))
}

func (b *body) str(k string) string {
	if !b.has(k) {
		return ""
	}
	var s string
	if json.Unmarshal(b.fields[k], &s) == nil {
		return strings.TrimSpace(s)
	}
	return strings.Trim(string(bytes.TrimSpace(b.fields[k])), `"`)
}

func (b *body) mandatoryStr(k string) string {
	s := b.str(k)
	if s == "" {
		b.probs.mandatory(b.resource, k)
	}
	return s
}

// integer reads an id or enum, sent as a number or a numeric string ("paymentTypeId":"12", L4737).
func (b *body) integer(k string, mandatory bool) int64 {
	if !b.has(k) {
		if mandatory {
			b.probs.mandatory(b.resource, k)
		}
		return 0
	}
	s := strings.Trim(string(bytes.TrimSpace(b.fields[k])), `"`)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		b.probs.invalid(b.resource, k, "not.a.whole.number", s)
	}
	return n
}

func (b *body) boolean(k string) bool {
	var v bool
	if b.has(k) && json.Unmarshal(b.fields[k], &v) != nil {
		b.probs.invalid(b.resource, k, "not.a.boolean", string(b.fields[k]))
	}
	return v
}

// requireLocale checks, once, that a body carrying dates or amounts names its locale and date format
// (L45-64).
func (b *body) requireLocale(needFormat bool) bool {
	if !b.localeChecked {
		b.localeChecked = true
		b.locale = b.str("locale")
		if b.locale == "" {
			b.probs.mandatory(b.resource, "locale")
		} else if !knownLocale(b.locale) {
			b.probs.invalid(b.resource, "locale", "invalid", b.locale)
			b.locale = ""
		}
	}
	if needFormat && !b.formatChecked {
		b.formatChecked = true
		if df := b.str("dateFormat"); df == "" {
			b.probs.mandatory(b.resource, "dateFormat")
		} else {
			b.layout = jodaToGo(df)
		}
	}
	return b.locale != "" && (!needFormat || b.layout != "")
}

// date reads a date written in the body's dateFormat.
func (b *body) date(k string, mandatory bool) time.Time {
	if !b.has(k) {
		if mandatory {
			b.probs.mandatory(b.resource, k)
		}
		return time.Time{}
	}
	if !b.requireLocale(true) {
		return time.Time{}
	}
	s := b.str(k)
	t, err := parseJodaDate(b.layout, s)
	if err != nil {
		b.probs.invalid(b.resource, k, "invalid.date.format", s)
		return time.Time{}
	}
	return t
}

// parseJodaDate parses s with a layout from jodaToGo. Joda reads month names in either form whatever
// the pattern's letter count, and the seed relies on it ("10 Jun 2013" with "dd MMMM yyyy", L4495).
func parseJodaDate(layout, s string) (time.Time, error) {
	t, err := time.Parse(layout, s)
	if err == nil {
		return t, nil
	}
	alt := ""
	switch {
	case strings.Contains(layout, "January"):
		alt = strings.Replace(layout, "January", "Jan", 1)
	case strings.Contains(layout, "Jan"):
		alt = strings.Replace(layout, "Jan", "January", 1)
	}
	if alt != "" {
		if t, altErr := time.Parse(alt, s); altErr == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// amount reads money or a rate: a JSON number, or a string formatted in the body's locale
// ("100,000.00" in en, L56-64).
func (b *body) amount(k string, mandatory bool) decimal.Decimal {
	if !b.has(k) {
		if mandatory {
			b.probs.mandatory(b.resource, k)
		}
		return decimal.Zero
	}
	if !b.requireLocale(false) {
		return decimal.Zero
	}
	raw := string(bytes.TrimSpace(b.fields[k]))
	if strings.HasPrefix(raw, `"`) {
		raw = delocalize(b.str(k), b.locale)
	}
	d, err := decimal.NewFromString(raw)
	if err != nil {
		b.probs.invalid(b.resource, k, "invalid.number", raw)
		return decimal.Zero
	}
	return d
}

func knownLocale(l string) bool {
	lang, _, _ := strings.Cut(l, "_")
	switch lang {
	case "en", "fr", "de", "es", "it", "pt", "ro", "ru", "id", "sw":
		return true
	}
	return false
}

// delocalize removes grouping separators: "," for English, spaces and apostrophes elsewhere, where a
// lone "," is the decimal separator.
func delocalize(s, locale string) string {
	if strings.HasPrefix(locale, "en") {
		return strings.ReplaceAll(s, ",", "")
	}
	s = strings.NewReplacer(" ", "", "\u00a0", "", "'", "").Replace(s)
	if strings.Contains(s, ",") && !strings.Contains(s, ".") {
		s = strings.ReplaceAll(s, ",", ".")
	}
	return s
}

// jodaToGo converts the Joda-Time date patterns Fineract takes ("dd MMMM yyyy", "yyyy-MM-dd") to a Go
// layout. Letters it does not know are kept, so a bad pattern fails to parse rather than guessing.
func jodaToGo(p string) string {
	repl := []struct{ joda, goLayout string }{
		{"yyyy", "2006"}, {"yy", "06"}, {"MMMM", "January"}, {"MMM", "Jan"}, {"MM", "01"}, {"M", "1"},
		{"dd", "02"}, {"d", "2"}, {"EEEE", "Monday"}, {"EEE", "Mon"},
	}
	var out strings.Builder
	for i := 0; i < len(p); {
		matched := false
		for _, r := range repl {
			if strings.HasPrefix(p[i:], r.joda) {
				out.WriteString(r.goLayout)
				i += len(r.joda)
				matched = true
				break
			}
		}
		if !matched {
			out.WriteByte(p[i])
			i++
		}
	}
	return out.String()
}

// jdate renders as Fineract's [yyyy, m, d]; the zero date as null.
type jdate time.Time

func (d jdate) MarshalJSON() ([]byte, error) {
	t := time.Time(d)
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(fmt.Sprintf("[%d,%d,%d]", t.Year(), int(t.Month()), t.Day())), nil
}

// num renders money as a JSON number with all its digits.
func num(d decimal.Decimal) json.Number { return json.Number(d.String()) }
