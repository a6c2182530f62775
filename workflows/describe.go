package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/lending"
)

// What a loan's workflow says about itself in the Temporal UI, for the
// engineer who opens it to answer "what happened to loan 90417?": a summary
// and details fixed when it starts, current details kept up to date (its
// status, what it waits for and until when, the last action and who took
// it), and a summary on every timer and activity. None of it names the
// applicant: with payload encryption off these are the readable part of a
// history, and with it on the UI shows them to whoever may read loans.

// LoanSummary is the one line that names a loan's workflow, e.g.
// "Loan 90417 · 2,000.00 MDL · 6 months · demo".
func LoanSummary(in *LoanInput) string {
	return fmt.Sprintf("Loan %d · %s %s · %d months · %s", in.Ref,
		lending.FormatMoney(in.Amount, in.Product.CurrencyDecimals), in.Product.Currency, in.TermMonths, in.Product.Code)
}

// LoanDetails are the details fixed when the loan's workflow starts
// (markdown): who submitted it under which product, where it is booked,
// and a link to its page in the back-office console when consoleURL (the
// console's public base URL) is set.
func LoanDetails(in *LoanInput, consoleURL string) string {
	paras := []string{
		fmt.Sprintf("**Partner** %s · **product** %s · submitted %s", in.Partner, in.Product.Code, in.SubmittedAt.UTC().Format(time.RFC3339)),
		fmt.Sprintf("**Ledger** %s · **lender** %s", orNone(string(in.Product.Ledger)), orNone(string(in.Product.Lender))),
	}
	if base := strings.TrimRight(consoleURL, "/"); base != "" {
		paras = append(paras, fmt.Sprintf("[Open loan %d in the console](%s/backoffice/loans/%d)", in.Ref, base, in.Ref))
	}
	// Markdown paragraphs. (Not an io.Writer: workflow code may not write
	// to one, and this runs in the workflow too.)
	return strings.Join(paras, "\n\n")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// step names the activity run with the returned context, as the UI lists
// it: "persist APPROVED by staff:ana", "post repayment 369.20 to fineract".
func step(ctx workflow.Context, summary string) workflow.Context {
	opts := workflow.GetActivityOptions(ctx)
	opts.Summary = summary
	return workflow.WithActivityOptions(ctx, opts)
}

// wait blocks until cond holds, or until until (when it is set) under a
// timer named timer; it reports whether cond held. Meanwhile the loan's
// current details say it waits for what. A zero until waits for cond
// alone and starts no timer.
func (l *loan) wait(ctx workflow.Context, what, timer string, until time.Time, cond func() bool) (bool, error) {
	l.waiting, l.until = what, until
	l.describe(ctx)
	// Whatever woke the loop is what the details say next, not this wait.
	defer func() { l.waiting, l.until = "", time.Time{} }()
	if (!until.IsZero() || l.alarm != nil) && workflow.GetVersion(ctx, versionLeanHistory, workflow.DefaultVersion, 1) == 1 {
		return l.waitOnAlarm(ctx, timer, until, cond)
	}
	if until.IsZero() {
		return true, workflow.Await(ctx, cond)
	}
	return workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{
		Timeout: until.Sub(workflow.Now(ctx)), TimerOptions: workflow.TimerOptions{Summary: timer},
	}, cond)
}

// lastAction remembers the latest step recorded on the loan (an action, or
// money moved: "repayment 369.20"), for its current details.
func (l *loan) lastAction(ctx workflow.Context, what string, actor lending.Actor) {
	l.st.LastAction = fmt.Sprintf("%s by %s at %s", what, actor, workflow.Now(ctx).UTC().Format(timeLayout))
}

const timeLayout = "2006-01-02 15:04 MST"

// describe sets the loan's current details (markdown) from its state.
func (l *loan) describe(ctx workflow.Context) {
	var paras []string
	add := func(format string, args ...any) { paras = append(paras, fmt.Sprintf(format, args...)) }
	add("**%s**", LoanSummary(l.in))
	status := "**Status** " + string(l.st.Status)
	if !l.st.StatusSince.IsZero() {
		status += " since " + l.st.StatusSince.UTC().Format(timeLayout)
	}
	if len(l.st.ReasonCodes) > 0 {
		status += " (" + strings.Join(l.st.ReasonCodes, ", ") + ")"
	}
	paras = append(paras, status)
	switch {
	case l.st.Status.Terminal() && l.ledger != nil && l.ledger.idle() && l.lender.idle():
		add("**Waiting for** nothing: the loan has ended")
	case l.waiting != "" && l.until.IsZero():
		add("**Waiting for** %s", l.waiting)
	case l.waiting != "":
		add("**Waiting for** %s until %s", l.waiting, l.until.UTC().Format(timeLayout))
	}
	today := day(workflow.Now(ctx))
	if acc := l.st.Account; acc != nil {
		money := fmt.Sprintf("**Outstanding** %s %s", lending.FormatMoney(acc.Totals().Outstanding.Total(), l.in.Product.CurrencyDecimals), l.in.Product.Currency)
		if next := l.nextDueDate(today); !next.IsZero() {
			money += " · next due " + next.Format(time.DateOnly)
		}
		if d := l.st.Delinquency; d.DaysPastDue > 0 {
			money += fmt.Sprintf(" · **%d day(s) past due** (bucket %s)", d.DaysPastDue, d.Bucket)
		}
		paras = append(paras, money)
	} else if next, _ := l.nextDue(today); !next.IsZero() {
		add("**Next due** %s", next.Format(time.DateOnly))
	}
	if l.st.LastAction != "" {
		add("**Last action** %s", l.st.LastAction)
	}
	// Only that a provider refused: its message can quote what it was
	// sent, which may name the applicant. The console shows it to staff.
	for _, p := range []struct{ name, refusal string }{
		{string(l.in.Product.Ledger), l.st.LedgerError}, {string(l.in.Product.Lender), l.st.LenderError},
	} {
		if p.refusal != "" {
			add("**%s refused a posting**: the loan's sync with it is stopped (the console shows why)", p.name)
		}
	}
	workflow.SetCurrentDetails(ctx, strings.Join(paras, "\n\n"))
}
