package schedulecmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
)

// fieldParser decodes one top-level request field into the terms, recording problems under its name.
type fieldParser func(p *parser, raw json.RawMessage, t *schedule.Terms)

// fields is the request contract of issue 3: every accepted top-level field and how it is read.
var fields = map[string]fieldParser{
	"principal": func(p *parser, raw json.RawMessage, t *schedule.Terms) { t.Principal = p.amount("principal", raw) },
	"disbursement_date": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.DisbursementDate = p.date("disbursement_date", raw)
	},
	"first_repayment_date": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.FirstRepaymentDate = p.optionalDate("first_repayment_date", raw)
	},
	"number_of_repayments": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.NumberOfRepayments = p.integer("number_of_repayments", raw)
	},
	"repayment_every": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.RepaymentEvery = p.integer("repayment_every", raw)
	},
	"repayment_frequency": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.RepaymentFrequency = schedule.Frequency(p.enum("repayment_frequency", raw, "days", "weeks", "months", "years"))
	},
	"interest_rate": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.InterestRate = p.amount("interest_rate", raw)
	},
	"interest_rate_frequency": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.InterestRateFrequency = schedule.Frequency(p.enum("interest_rate_frequency", raw, "months", "years"))
	},
	"interest_method": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.InterestMethod = p.enum("interest_method", raw, schedule.InterestDecliningBalance, schedule.InterestFlat)
	},
	"amortization": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.Amortization = p.enum("amortization", raw, schedule.AmortizationEqualInstallments, schedule.AmortizationEqualPrincipal)
	},
	"interest_calculation_period": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.InterestCalculationPeriod = p.enum("interest_calculation_period", raw, schedule.InterestPeriodSameAsRepayment, schedule.InterestPeriodDaily)
	},
	"allow_partial_period_interest": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.AllowPartialPeriodInterest = p.boolean("allow_partial_period_interest", raw)
	},
	"days_in_year": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.DaysInYear = p.enum("days_in_year", raw, schedule.DaysActual, schedule.Days360, schedule.Days364, schedule.Days365)
	},
	"days_in_month": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.DaysInMonth = p.enum("days_in_month", raw, schedule.DaysActual, schedule.Days30)
	},
	"grace_on_principal": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.GraceOnPrincipal = p.integer("grace_on_principal", raw)
	},
	"grace_on_interest_payment": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.GraceOnInterestPayment = p.integer("grace_on_interest_payment", raw)
	},
	"grace_on_interest_charged": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.GraceOnInterestCharged = p.integer("grace_on_interest_charged", raw)
	},
	"currency": func(p *parser, raw json.RawMessage, t *schedule.Terms) { t.Currency = p.currency(raw) },
	"installment_in_multiples_of": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.InstallmentInMultiplesOf = int64(p.integer("installment_in_multiples_of", raw))
	},
	"rounding_mode": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.RoundingMode = p.enum("rounding_mode", raw, schedule.RoundHalfEven, schedule.RoundHalfUp, schedule.RoundDown, schedule.RoundUp)
	},
	"engine": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.Engine = p.enum("engine", raw, schedule.EngineCumulative, schedule.EngineProgressive)
	},
	"disbursements": func(p *parser, raw json.RawMessage, t *schedule.Terms) { t.Disbursements = p.disbursements(raw) },
	"down_payment_percent": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.DownPaymentPercent = p.optionalAmount("down_payment_percent", raw)
	},
	"fixed_principal_percentage": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.FixedPrincipalPercentage = p.optionalAmount("fixed_principal_percentage", raw)
	},
	"schedule_start_date": func(p *parser, raw json.RawMessage, t *schedule.Terms) {
		t.ScheduleStartDate = p.optionalDate("schedule_start_date", raw)
	},
	"fees": func(p *parser, raw json.RawMessage, t *schedule.Terms) { t.Fees = p.fees(raw) },
}

// The fields of the contract's nested objects.
var (
	currencyFields     = []string{"code", "decimal_places", "in_multiples_of"}
	disbursementFields = []string{"date", "amount"}
	feeFields          = []string{"type", "calculation", "amount", "deducted"}
)

// ParseRequest reads a `loanflow schedule` request (the JSON contract of issue 3) into Terms. Every
// problem it finds (malformed JSON, unknown fields, wrong types, unknown enum values) and every
// problem Terms.Validate finds is returned together in one *schedule.ValidationError, named by JSON
// field. A field that is null is treated exactly as if it were absent (see withoutNulls): optional
// fields take the schedule package's defaults, required ones are reported missing.
func ParseRequest(data []byte) (schedule.Terms, error) {
	var t schedule.Terms
	p := &parser{}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		p.add("", "request must be one JSON object: %s", strings.TrimPrefix(err.Error(), "json: "))
		return t, p.err()
	}
	if dec.More() {
		p.add("", "request must be exactly one JSON object")
		return t, p.err()
	}
	if raw == nil {
		p.add("", "request must be a JSON object, not null")
		return t, p.err()
	}
	for _, name := range sortedNames(raw) {
		if _, ok := fields[name]; !ok {
			p.add(name, "is not a field of the schedule request")
		}
	}
	top := withoutNulls(raw)
	for _, name := range sortedNames(top) {
		if parse, ok := fields[name]; ok {
			parse(p, top[name], &t)
		}
	}
	for _, required := range []string{"number_of_repayments"} {
		if _, ok := top[required]; !ok {
			p.add(required, "is required")
		}
	}
	if _, ok := top["disbursements"]; !ok {
		for _, required := range []string{"principal", "disbursement_date"} {
			if _, ok := top[required]; !ok {
				p.add(required, "is required (or give disbursements)")
			}
		}
	}
	if len(p.problems) > 0 {
		return t, p.err()
	}
	if err := t.Validate(); err != nil {
		return t, err
	}
	return t, nil
}

// parser accumulates field problems while reading.
type parser struct {
	problems []schedule.Problem
}

func (p *parser) add(field, format string, args ...any) {
	p.problems = append(p.problems, schedule.Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) err() error {
	return &schedule.ValidationError{Problems: p.problems}
}

// sortedNames lists an object's field names in order, so problems come in a stable order.
func sortedNames(m map[string]json.RawMessage) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// withoutNulls drops the fields whose value is JSON null. It is the one place the contract's "null
// means unset" is implemented: every object of a request, top level and nested, goes through it
// before any field is read, so no field parser ever sees a null.
func withoutNulls(m map[string]json.RawMessage) map[string]json.RawMessage {
	for name, raw := range m {
		if string(bytes.TrimSpace(raw)) == "null" {
			delete(m, name)
		}
	}
	return m
}

// amount reads a decimal given as a JSON string ("5000.00") or, exactly from its text, a JSON number.
func (p *parser) amount(field string, raw json.RawMessage) decimal.Decimal {
	s, ok := text(raw)
	if !ok {
		p.add(field, "must be a decimal string such as \"1250.00\"")
		return decimal.Zero
	}
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		p.add(field, "must be a decimal of at most 40 characters")
		return decimal.Zero
	}
	d, err := decimal.NewFromString(s)
	if err != nil || strings.ContainsAny(s, "eE") {
		p.add(field, "must be a plain decimal such as \"1250.00\", got %q", s)
		return decimal.Zero
	}
	return d
}

func (p *parser) optionalAmount(field string, raw json.RawMessage) *decimal.Decimal {
	d := p.amount(field, raw)
	return &d
}

func (p *parser) date(field string, raw json.RawMessage) time.Time {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		p.add(field, "must be a date string YYYY-MM-DD")
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		p.add(field, "must be a date YYYY-MM-DD, got %q", s)
		return time.Time{}
	}
	return d
}

func (p *parser) optionalDate(field string, raw json.RawMessage) *time.Time {
	n := len(p.problems)
	d := p.date(field, raw)
	if len(p.problems) > n {
		return nil
	}
	return &d
}

func (p *parser) integer(field string, raw json.RawMessage) int {
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		p.add(field, "must be a whole number")
		return 0
	}
	v, err := strconv.ParseInt(n.String(), 10, 32)
	if err != nil {
		p.add(field, "must be a whole number, got %s", n)
		return 0
	}
	return int(v)
}

func (p *parser) boolean(field string, raw json.RawMessage) bool {
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		p.add(field, "must be true or false")
	}
	return b
}

// enum reads one of the allowed values. Day counts may also be written as JSON numbers (360).
func (p *parser) enum(field string, raw json.RawMessage, allowed ...string) string {
	s, ok := text(raw)
	if !ok {
		p.add(field, "must be one of %s", strings.Join(allowed, ", "))
		return ""
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	p.add(field, "must be one of %s, got %q", strings.Join(allowed, ", "), s)
	return ""
}

// text reads a JSON string, or the text of a JSON number exactly as written.
func text(raw json.RawMessage) (string, bool) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, true
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", false
	}
	return n.String(), true
}

// object decodes a nested object into its non-null fields, reporting unknown ones under prefix.
func (p *parser) object(prefix string, raw json.RawMessage, known []string) (object, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		p.add(prefix, "must be an object")
		return object{}, false
	}
	for _, name := range sortedNames(m) {
		if !slices.Contains(known, name) {
			p.add(prefix+"."+name, "is not a field of %s", prefix)
		}
	}
	return object{p: p, prefix: prefix, fields: withoutNulls(m)}, true
}

func (p *parser) currency(raw json.RawMessage) schedule.Currency {
	var c schedule.Currency
	o, ok := p.object("currency", raw, currencyFields)
	if !ok {
		return c
	}
	o.optional("code", func(field string, v json.RawMessage) {
		if err := json.Unmarshal(v, &c.Code); err != nil {
			p.add(field, "must be a string")
		}
	})
	places := o.optional("decimal_places", func(field string, v json.RawMessage) { c.DecimalPlaces = int32(p.integer(field, v)) })
	if !places {
		// An absent decimal_places means cents, not a zero-decimal currency.
		c.DecimalPlaces = 2
	}
	o.optional("in_multiples_of", func(field string, v json.RawMessage) { c.InMultiplesOf = int64(p.integer(field, v)) })
	return c
}

func (p *parser) disbursements(raw json.RawMessage) []schedule.Disbursement {
	var out []schedule.Disbursement
	n := p.list("disbursements", raw, "must be a list of {\"date\", \"amount\"}", disbursementFields, func(o object) {
		var d schedule.Disbursement
		o.required("date", func(field string, v json.RawMessage) { d.Date = p.date(field, v) })
		o.required("amount", func(field string, v json.RawMessage) { d.Amount = p.amount(field, v) })
		out = append(out, d)
	})
	if n == 0 {
		p.add("disbursements", "must not be empty (use null for a single disbursement)")
	}
	return out
}

func (p *parser) fees(raw json.RawMessage) []schedule.Fee {
	out := []schedule.Fee{}
	p.list("fees", raw, "must be a list of fees", feeFields, func(o object) {
		f := schedule.Fee{Calculation: schedule.FeeFlat}
		o.required("type", func(field string, v json.RawMessage) {
			f.Type = p.enum(field, v, schedule.FeeDisbursement, schedule.FeeMonthly)
		})
		o.optional("calculation", func(field string, v json.RawMessage) {
			f.Calculation = p.enum(field, v, schedule.FeeFlat, schedule.FeePercentOfPrincipal)
		})
		o.required("amount", func(field string, v json.RawMessage) { f.Amount = p.amount(field, v) })
		o.optional("deducted", func(field string, v json.RawMessage) { f.Deducted = p.boolean(field, v) })
		out = append(out, f)
	})
	return out
}

// list reads a JSON list of objects with the known fields, calling each for every readable one, and
// returns how long the list is; a value that is no list is reported under name with problem.
func (p *parser) list(name string, raw json.RawMessage, problem string, known []string, each func(object)) int {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		p.add(name, "%s", problem)
		return -1
	}
	for i, item := range items {
		prefix := fmt.Sprintf("%s[%d]", name, i)
		if o, ok := p.object(prefix, item, known); ok {
			each(o)
		}
	}
	return len(items)
}

// object is a nested object's non-null fields, named in problems under prefix.
type object struct {
	p      *parser
	prefix string
	fields map[string]json.RawMessage
}

// optional reads the field name with read when it is given.
func (o object) optional(name string, read func(field string, v json.RawMessage)) bool {
	v, ok := o.fields[name]
	if ok {
		read(o.prefix+"."+name, v)
	}
	return ok
}

// required reads the field name with read, or reports it missing.
func (o object) required(name string, read func(field string, v json.RawMessage)) {
	if !o.optional(name, read) {
		o.p.add(o.prefix+"."+name, "is required")
	}
}
