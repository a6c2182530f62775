package iute

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/iutewire"
)

// fields parses XML text values, remembering the first failure with the element it came from.
type fields struct{ err error }

func (f *fields) fail(name, value string, err error) {
	if f.err == nil {
		f.err = fmt.Errorf("element <%s> = %q: %v", name, value, err)
	}
}

func (f *fields) decimal(name, v string) decimal.Decimal {
	d, err := decimal.NewFromString(strings.TrimSpace(v))
	if err != nil {
		f.fail(name, v, err)
	}
	return d
}

func (f *fields) int(name, v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		f.fail(name, v, err)
	}
	return n
}

func (f *fields) int64(name, v string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		f.fail(name, v, err)
	}
	return n
}

func (f *fields) date(name, v string) time.Time {
	t, err := time.Parse(iutewire.DateLayout, strings.TrimSpace(v))
	if err != nil {
		f.fail(name, v, err)
	}
	return t
}

func (f *fields) bool(name, v string) bool {
	b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(v)))
	if err != nil {
		f.fail(name, v, err)
	}
	return b
}
