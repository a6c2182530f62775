package providers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Fields reads the text values of an answer (XML elements, attributes), trimmed, and remembers the
// first that does not parse: a client reads a whole answer, then reports that one as a bad response.
// The zero value is ready.
type Fields struct {
	// Err is the first failure, naming its field and value.
	Err error
}

// Fail records that the field name, valued v, did not parse, unless an earlier one did not either.
func (f *Fields) Fail(name, v string, err error) {
	if f.Err == nil {
		f.Err = fmt.Errorf("%s = %q: %v", name, v, err)
	}
}

// Decimal reads an exact decimal.
func (f *Fields) Decimal(name, v string) decimal.Decimal {
	d, err := decimal.NewFromString(strings.TrimSpace(v))
	if err != nil {
		f.Fail(name, v, err)
	}
	return d
}

// Int64 reads a whole number.
func (f *Fields) Int64(name, v string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		f.Fail(name, v, err)
	}
	return n
}

// Int reads a whole number of the platform's int size.
func (f *Fields) Int(name, v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		f.Fail(name, v, err)
	}
	return n
}

// Bool reads true or false, in any case.
func (f *Fields) Bool(name, v string) bool {
	b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(v)))
	if err != nil {
		f.Fail(name, v, err)
	}
	return b
}

// Time reads a time written with layout, in loc when it names no zone.
func (f *Fields) Time(name, v, layout string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation(layout, strings.TrimSpace(v), loc)
	if err != nil {
		f.Fail(name, v, err)
	}
	return t
}
