package console

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

const day = 24 * time.Hour

// paidOut is a loan of an applicant of its own, taken through the real
// workflow and paid out today.
func (e *env) paidOut(amount string) *models.Loan {
	e.t.Helper()
	return e.kit.Take(e.kit.Submit(e.application(amount)), lending.StatusActive)
}

// payoff is the service's quote for today, as the JSON API answers it.
func (e *env) payoff(ref int64) decimal.Decimal {
	e.t.Helper()
	p, err := e.kit.Service.Payoff(context.Background(), service.AsStaff(e.staff(operations)), ref, nil)
	require.NoError(e.t, err)
	return p.Quote.Total
}

// rowRefs are the loan refs of a listing's rows, in order.
var rowRef = regexp.MustCompile(`<tr data-ref="(\d+)">`)

func rowRefs(page string) []string {
	var out []string
	for _, m := range rowRef.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestCollectionsQueue(t *testing.T) {
	e := newEnv(t)
	oldest := e.paidOut("2000")
	e.kit.Advance(20 * day)
	later := e.paidOut("3000")
	e.kit.Advance(50 * day)
	current := e.paidOut("2500")

	a, b := e.loan(oldest.Ref), e.loan(later.Ref)
	require.Greater(t, a.DaysPastDue, b.DaysPastDue, "paid out 20 days earlier, due 20 days earlier")
	require.Positive(t, b.DaysPastDue)
	require.Equal(t, 0, e.loan(current.Ref).DaysPastDue)

	for _, c := range []creds{operations, underwriter} {
		br := e.signedIn(c)
		has(t, br.last, `href="/backoffice/collections"`, "the queue is in the navigation")
		res := br.get(Prefix + "/collections")
		require.Equal(t, http.StatusOK, res.Code)
		page := res.Body.String()
		require.Equal(t, []string{ref(a), ref(b)}, rowRefs(page), "most days past due first; a current loan is not listed")
		has(t, page, "1–2 of 2")
		for _, l := range []*models.Loan{a, b} {
			has(t, page, `<td class="num dpd" data-sort="`+decimal.NewFromInt(int64(l.DaysPastDue)).String()+`">`)
			has(t, page, `<td class="bucket">`+l.DelinquencyBucket+`</td>`)
			has(t, page, formatMoney(l.PenaltiesDue, 2)+" MDL")
			has(t, page, formatMoney(l.Remaining(), 2)+" MDL")
		}
		has(t, page, "<td>demo</td>", "the partner")
	}
	require.Equal(t, http.StatusForbidden, e.signedIn(admin).get(Prefix+"/collections").Code)

	empty := newEnv(t).signedIn(operations)
	has(t, empty.get(Prefix+"/collections").Body.String(), "No loan is past due.")
}

func TestLoanPageShowsServicingAndPayoff(t *testing.T) {
	e := newEnv(t)
	l := e.paidOut("2000")
	e.kit.Advance(45 * day)
	l = e.loan(l.Ref)
	require.Equal(t, lending.StatusInArrears, l.Status)
	require.True(t, l.PenaltiesDue.IsPositive(), "the demo product charges penalties")
	total := e.payoff(l.Ref)

	b := e.signedIn(underwriter)
	b.openLoan(l.Ref)
	page := b.last
	has(t, page, `<dd id="days-past-due">`+decimal.NewFromInt(int64(l.DaysPastDue)).String()+`</dd>`)
	has(t, page, `<dd id="bucket">`+l.DelinquencyBucket+`</dd>`)
	has(t, page, `<dd id="penalties-due">`+formatMoney(l.PenaltiesDue, 2)+` MDL</dd>`)
	has(t, page, `<dd id="overpaid">0.00 MDL</dd>`)
	has(t, page, `<dd id="written-off">0.00 MDL</dd>`)
	has(t, page, `<td class="num" id="payoff-total">`+formatMoney(total, 2)+`</td>`, "the service's quote")
	has(t, page, `href="/backoffice/loans/`+ref(l)+`/payoff"`)

	res := b.get(loanURL(l.Ref) + "/payoff")
	require.Equal(t, http.StatusOK, res.Code)
	quote := res.Body.String()
	has(t, quote, `<dd id="payoff-borrower">John James Smith</dd>`)
	has(t, quote, `<strong>`+formatMoney(total, 2)+`</strong>`)
	has(t, quote, formatDay(e.clock.Now()))
	has(t, quote, "Valid for a payment made on")
	has(t, quote, "data-print")

	tomorrow := e.clock.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	res = b.get(loanURL(l.Ref) + "/payoff?as_of=" + tomorrow)
	require.Equal(t, http.StatusOK, res.Code)
	p, err := e.kit.Service.Payoff(context.Background(), service.AsStaff(e.staff(underwriter)), l.Ref, ptr(e.clock.Now().AddDate(0, 0, 1)))
	require.NoError(t, err)
	has(t, res.Body.String(), `<strong>`+formatMoney(p.Quote.Total, 2)+`</strong>`, "the quote for the day asked")

	for _, asOf := range []string{"soon", "2025-02-30", "2025-03-09", e.clock.Now().AddDate(0, 0, 91).Format(time.DateOnly)} {
		res := b.get(loanURL(l.Ref) + "/payoff?as_of=" + url.QueryEscape(asOf))
		require.Equal(t, http.StatusBadRequest, res.Code, asOf)
		has(t, res.Body.String(), "as_of: ", asOf)
	}

	before := e.loanIn(lending.StatusApproved, "2000", time.Hour)
	res = b.get(loanURL(before.Ref) + "/payoff")
	require.Equal(t, http.StatusConflict, res.Code)
	has(t, res.Body.String(), "APPROVED")
	b.openLoan(before.Ref)
	lacks(t, b.last, `id="servicing"`, "no servicing figures before pay-out")
	require.Equal(t, http.StatusNotFound, b.get(Prefix+"/loans/99999/payoff").Code)

	// Without the loan engine the loan is still shown, without a quote.
	e.engineDown(failure.Unavailable(errors.New("dial tcp 127.0.0.1:7233: connect: connection refused")))
	b.openLoan(l.Ref)
	has(t, b.last, `id="payoff-note"`)
	has(t, b.last, `<dd id="days-past-due">`)
	lacks(t, b.last, `id="payoff-total"`)
	require.Equal(t, http.StatusServiceUnavailable, b.get(loanURL(l.Ref)+"/payoff").Code)
}

func ptr[T any](v T) *T { return &v }

// servicingState is what a servicing action changes: a refused one leaves
// it as it was.
type servicingState struct {
	Status                                        lending.Status
	Overpaid, PenaltiesDue, WrittenOff, Repayable string
	Trail                                         int
	Due                                           string
}

func (e *env) servicingState(ref int64) servicingState {
	e.t.Helper()
	l := e.loan(ref)
	rows, err := e.store.Installments(context.Background(), ref)
	require.NoError(e.t, err)
	var due string
	for _, r := range rows {
		due += r.DueDate.Format(time.DateOnly) + " "
	}
	return servicingState{Status: l.Status, Overpaid: l.Overpaid.String(), PenaltiesDue: l.PenaltiesDue.String(),
		WrittenOff: l.WrittenOff.String(), Repayable: l.TotalRepayable.String(), Trail: len(e.trail(ref)), Due: due}
}

func TestServicingActions(t *testing.T) {
	overpaid := func(e *env) *models.Loan {
		l := e.paidOut("2000")
		pay := l.TotalRepayable.Add(decimal.NewFromInt(25))
		_, err := e.kit.Service.Repay(context.Background(), e.kit.Partner(testkit.Demo), l.Ref,
			service.RepaymentRequest{Key: "all-and-more", Amount: pay, PaidOn: e.clock.Now()})
		require.NoError(t, err)
		return e.loan(l.Ref)
	}
	overdue := func(e *env) *models.Loan {
		l := e.paidOut("2000")
		e.kit.Advance(45 * day)
		return e.loan(l.Ref)
	}
	active := func(e *env) *models.Loan { return e.paidOut("2000") }

	type bad struct {
		name   string
		set    url.Values
		status int
		field  string // the form field shown in error ("" for a page-level message)
		msg    string
	}
	cases := []struct {
		name       string
		setup      func(e *env) *models.Loan
		path       string
		form       string // the form's id on the loan page
		role, not  creds
		good       url.Values
		action     lending.Action
		reason     string
		flash      string
		check      func(t *testing.T, before, after *models.Loan)
		bad        []bad
		notWhenNot func(e *env) *models.Loan // a loan the action is illegal on (409)
	}{
		{
			name: "refund", setup: overpaid, path: "/refunds", form: "refund-form", role: operations, not: underwriter,
			good:   url.Values{"refund_amount": {"10.00"}, "refund_reason": {"paid twice"}},
			action: lending.ActionRefund, reason: "paid twice", flash: "Loan %d still holds 15.00 MDL overpaid.",
			check: func(t *testing.T, before, after *models.Loan) {
				require.Equal(t, "25", before.Overpaid.String())
				require.Equal(t, "15", after.Overpaid.String())
				require.Equal(t, lending.StatusOverpaid, after.Status)
			},
			bad: []bad{
				{"above the overpaid", url.Values{"refund_amount": {"30.00"}}, http.StatusBadRequest, "refund_amount", "above the overpaid balance of 25"},
				{"not a number", url.Values{"refund_amount": {"ten"}}, http.StatusBadRequest, "refund_amount", "Must be an amount such as 25 or 1250.50."},
				{"negative", url.Values{"refund_amount": {"-5"}}, http.StatusBadRequest, "refund_amount", "Must be a positive amount."},
				{"no reason", url.Values{"refund_reason": {"  "}}, http.StatusBadRequest, "refund_reason", "Required."},
			},
			notWhenNot: active,
		},
		{
			name: "waiver", setup: overdue, path: "/waivers", form: "waiver-form", role: operations, not: underwriter,
			good:   url.Values{"waiver_component": {"penalties"}, "waiver_amount": {"10.00"}, "waiver_reason": {"hospital stay"}},
			action: lending.ActionWaive, reason: "hospital stay", flash: "The waiver is recorded",
			check: func(t *testing.T, before, after *models.Loan) {
				require.Equal(t, before.PenaltiesDue.Sub(decimal.NewFromInt(10)).String(), after.PenaltiesDue.String())
			},
			bad: []bad{
				{"unknown component", url.Values{"waiver_component": {"principal"}}, http.StatusBadRequest, "waiver_component", "Must be one of penalties, fees, interest."},
				{"above what is due", url.Values{"waiver_amount": {"100000.00"}}, http.StatusBadRequest, "waiver_amount", "Amount is above what is due"},
				{"not a number", url.Values{"waiver_amount": {"1O.00"}}, http.StatusBadRequest, "waiver_amount", "Must be an amount such as 25 or 1250.50."},
				{"too many decimals", url.Values{"waiver_amount": {"1.005"}}, http.StatusBadRequest, "waiver_amount", "Must have at most 2 decimal places."},
			},
			notWhenNot: overpaid,
		},
		{
			name: "write-off", setup: overdue, path: "/write-off", form: "write-off-form", role: operations, not: underwriter,
			good:   url.Values{"write_off_reason": {"borrower deceased"}},
			action: lending.ActionWriteOff, reason: "borrower deceased", flash: "Loan %d is written off.",
			check: func(t *testing.T, before, after *models.Loan) {
				require.Equal(t, lending.StatusWrittenOff, after.Status)
				require.True(t, after.WrittenOff.IsPositive())
			},
			bad: []bad{
				{"no reason", url.Values{"write_off_reason": {""}}, http.StatusBadRequest, "write_off_reason", "Required."},
			},
			notWhenNot: overpaid,
		},
		{
			name: "payment holiday", setup: active, path: "/reschedule", form: "reschedule-form", role: underwriter, not: operations,
			good:   url.Values{"reschedule_defer_periods": {"2"}, "reschedule_reason": {"lost job"}},
			action: lending.ActionReschedule, reason: "lost job", flash: "moved 2 period(s) later",
			bad: []bad{
				{"not a number", url.Values{"reschedule_defer_periods": {"two"}}, http.StatusBadRequest, "reschedule_defer_periods", "Must be a whole number of installments"},
				{"too many", url.Values{"reschedule_defer_periods": {"13"}}, http.StatusBadRequest, "reschedule_defer_periods", "Must be between 1 and 12."},
				{"no reason", url.Values{"reschedule_reason": {""}}, http.StatusBadRequest, "reschedule_reason", "Required."},
			},
			notWhenNot: overpaid,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			l := tc.setup(e)
			path := loanURL(l.Ref) + tc.path
			state := e.servicingState(l.Ref)
			post := func(b *browser, set url.Values) *httptest.ResponseRecorder {
				t.Helper()
				form := b.openLoan(l.Ref)
				for k, v := range tc.good {
					form[k] = v
				}
				for k, v := range set {
					form[k] = v
				}
				return b.post(path, form)
			}

			wrong := e.signedIn(tc.not)
			wrong.openLoan(l.Ref)
			lacks(t, wrong.last, `id="`+tc.form+`"`, "the form shows only to its role")
			require.Equal(t, http.StatusForbidden, post(wrong, nil).Code)
			has(t, wrong.last, "Not for your role")
			require.Equal(t, state, e.servicingState(l.Ref), "a wrong role changes nothing")

			b := e.signedIn(tc.role)
			for _, bc := range tc.bad {
				t.Run(bc.name, func(t *testing.T) {
					res := post(b, bc.set)
					require.Equal(t, bc.status, res.Code)
					has(t, b.last, bc.msg)
					if bc.field != "" {
						has(t, b.last, `<label for="`+bc.field+`">`, "the form is shown again")
						require.Regexp(t, `(?s)<label for="`+bc.field+`">.*?<div class="err">[^<]*`+regexp.QuoteMeta(bc.msg), b.last, "the message is next to its field")
					}
					for k, v := range bc.set {
						if k != "waiver_component" && v[0] != "" && v[0] != "  " {
							has(t, b.last, `value="`+v[0]+`"`, "what was typed is kept")
						}
					}
					require.Equal(t, state, e.servicingState(l.Ref), "refused input changes nothing")
				})
			}

			before := e.loan(l.Ref)
			has(t, b.last, `id="`+tc.form+`"`)
			res := post(b, nil)
			require.Equal(t, http.StatusSeeOther, res.Code, b.last)
			page := b.follow(res)
			flash := tc.flash
			if regexp.MustCompile(`%d`).MatchString(flash) {
				flash = regexp.MustCompile(`%d`).ReplaceAllString(flash, ref(l))
			}
			has(t, page, flash)
			after := e.loan(l.Ref)
			if tc.check != nil {
				tc.check(t, before, after)
			}
			trail := e.trail(l.Ref)
			require.Equal(t, tc.action, trail[len(trail)-1], "the workflow did it")
			has(t, page, "<td>"+string(tc.action)+"</td>", "the audit trail shows it")
			has(t, page[strings.Index(page, `id="audit"`):], tc.reason+"</td>", "with the reason")
			require.Equal(t, models.OutcomeOK, e.lastEvent(string(tc.action)).Outcome)
			if tc.name == "payment holiday" {
				require.NotEqual(t, state.Due, e.servicingState(l.Ref).Due, "the installments moved")
			}

			// An action the loan's status does not allow is refused by the
			// workflow, naming the status.
			other := tc.notWhenNot(e)
			form := b.openLoan(other.Ref)
			for k, v := range tc.good {
				form[k] = v
			}
			otherState := e.servicingState(other.Ref)
			conflict := b.post(loanURL(other.Ref)+tc.path, form)
			require.Equal(t, http.StatusConflict, conflict.Code)
			has(t, conflict.Body.String(), "in status "+string(other.Status))
			require.Equal(t, otherState, e.servicingState(other.Ref))
		})
	}
}

// TestRefundFormSubmittedTwiceRefundsOnce: a servicing form carries the
// page's nonce as its idempotency key, as the other actions do.
func TestRefundFormSubmittedTwiceRefundsOnce(t *testing.T) {
	e := newEnv(t)
	l := e.paidOut("2000")
	_, err := e.kit.Service.Repay(context.Background(), e.kit.Partner(testkit.Demo), l.Ref,
		service.RepaymentRequest{Key: "all-and-more", Amount: l.TotalRepayable.Add(decimal.NewFromInt(25)), PaidOn: e.clock.Now()})
	require.NoError(t, err)
	b := e.signedIn(operations)
	form := b.openLoan(l.Ref)
	form.Set("refund_amount", "10.00")
	form.Set("refund_reason", "paid twice")
	for i := range 2 {
		res := b.post(loanURL(l.Ref)+"/refunds", form)
		require.Equal(t, http.StatusSeeOther, res.Code, "submission %d: %s", i+1, res.Body.String())
	}
	require.Equal(t, "15", e.loan(l.Ref).Overpaid.String(), "one refund of 10.00")
	refunds := 0
	for _, a := range e.trail(l.Ref) {
		if a == lending.ActionRefund {
			refunds++
		}
	}
	require.Equal(t, 1, refunds)
}
