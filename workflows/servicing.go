package workflows

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/schedule"
	"github.com/loanflow/loanflow/servicing"
)

// A paid-out loan's money is a servicing.Account held in the workflow's
// state: every repayment, settlement, waiver, refund, write-off and payment
// holiday is an Update that changes it, and a durable timer wakes the loan
// once a day while it is overdue to charge penalties and keep its days past
// due current. Each change is persisted with a snapshot of the account
// (activities.RecordServicing) before the Update answers.

// serviced moves a loan paid out before the servicing change onto an
// account, at the first Update it handles after the change, and reports
// whether the loan's money is an account. The version is keyed by the
// Update, so a history recorded before the change replays without the move
// (and one recorded after, with it, at the same Update).
func (l *loan) serviced(ctx workflow.Context) bool {
	if l.st.Account != nil {
		return true
	}
	if l.st.DisbursedOn == nil || len(l.st.Installments) == 0 {
		return false
	}
	change := versionServicing
	if u := workflow.GetCurrentUpdateInfo(ctx); u != nil {
		change += "/" + u.ID
	}
	if workflow.GetVersion(ctx, change, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return false
	}
	acc, err := l.migrated()
	if err != nil {
		// Terms the engine refuses cannot have been paid out; keep the
		// loan on its installments rather than stop it.
		workflow.GetLogger(ctx).Error("the loan's installments could not move onto an account", "error", err)
		return false
	}
	l.st.Account = acc
	l.st.Delinquency = acc.Delinquency(day(workflow.Now(ctx)))
	return true
}

// account is the loan's account, or what it would be after the move of
// serviced: validators read it without changing the loan.
func (l *loan) account() *servicing.Account {
	if l.st.Account != nil || l.st.DisbursedOn == nil || len(l.st.Installments) == 0 {
		return l.st.Account
	}
	acc, err := l.migrated()
	if err != nil {
		return nil
	}
	return acc
}

// migrated is the account of a loan paid out before the servicing change:
// its schedule opened under its terms, and what it was repaid applied as
// one payment on the pay-out day, in order over the installments, which is
// how it was applied (schedule.Allocate).
func (l *loan) migrated() (*servicing.Account, error) {
	paidOut := *l.st.DisbursedOn
	acc, err := servicing.Open(l.in.Product.Terms(l.in.Amount, l.in.TermMonths, paidOut), scheduleOf(l.st.Installments), l.in.Product.Servicing)
	if err != nil {
		return nil, err
	}
	if paid := l.st.Repaid.Add(l.st.Overpaid); paid.IsPositive() {
		if _, err := acc.Repay(paid, paidOut, servicing.StrategyNextInstallments); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

// scheduleOf is the schedule the installments were fixed from.
func scheduleOf(insts []Installment) *schedule.Schedule {
	s := &schedule.Schedule{TotalPrincipal: decimal.Zero}
	for _, in := range insts {
		s.Periods = append(s.Periods, schedule.Period{
			Number: in.Number, FromDate: in.FromDate, DueDate: in.DueDate,
			Principal: in.Principal, Interest: in.Interest, Fees: in.Fees, Total: in.Total,
		})
		s.TotalPrincipal = s.TotalPrincipal.Add(in.Principal)
	}
	return s
}

// openAccount starts servicing a loan just paid out on disbursedOn with the
// schedule the pay-out fixed.
func (l *loan) openAccount(disbursedOn time.Time, periods []schedule.Period) error {
	s := &schedule.Schedule{Periods: periods, TotalPrincipal: decimal.Zero}
	for _, p := range periods {
		s.TotalPrincipal = s.TotalPrincipal.Add(p.Principal)
	}
	acc, err := servicing.Open(l.in.Product.Terms(l.in.Amount, l.in.TermMonths, disbursedOn), s, l.in.Product.Servicing)
	if err != nil {
		return err
	}
	l.st.Account = acc
	l.st.Delinquency = acc.Delinquency(disbursedOn)
	return nil
}

// statusOfAccount is the status the account's money gives the loan today.
func (l *loan) statusOfAccount(today time.Time) lending.Status {
	acc := l.st.Account
	switch acc.State() {
	case servicing.StatePaid:
		return lending.StatusClosed
	case servicing.StateOverpaid:
		return lending.StatusOverpaid
	case servicing.StateWrittenOff:
		switch {
		case acc.Overpaid.IsPositive():
			return lending.StatusOverpaid
		case acc.Recovered.GreaterThanOrEqual(acc.Totals().WrittenOff.Total()):
			return lending.StatusClosed // recovered in full
		}
		return lending.StatusWrittenOff
	}
	if acc.Delinquency(today).DaysPastDue > 0 {
		return lending.StatusInArrears
	}
	return lending.StatusActive
}

// persist writes the account's snapshot with the step's money and, when
// action is set, its audit event moving the loan to the status its money
// gives it; the caller holds the lock.
func (l *loan) persist(ctx workflow.Context, action lending.Action, actor lending.Actor, reason string, txs []models.Transaction) error {
	now := workflow.Now(ctx)
	today := day(now)
	l.st.Delinquency = l.st.Account.Delinquency(today)
	to := l.st.Status
	var t *activities.Transition
	if action != "" {
		to = l.statusOfAccount(today)
		l.st.Seq++
		t = &activities.Transition{Ref: l.in.Ref, Seq: l.st.Seq, Actor: actor, Action: action,
			From: l.st.Status, To: to, Reason: reason, At: now}
		if to == lending.StatusClosed {
			t.ClosedOn = &today
		}
	}
	l.st.ServicingSeq++
	money, rows := activities.Snapshot(l.st.Account, l.st.Delinquency)
	in := activities.ServicingInput{Ref: l.in.Ref, Seq: l.st.ServicingSeq, Transition: t, Money: money, Installments: rows, Transactions: txs}
	// The step as the UI names it: the action, else the money it moved,
	// else the arrears brought up to date.
	what := string(action)
	switch {
	case action != "":
	case len(txs) > 0:
		last := txs[len(txs)-1]
		what = string(last.Kind) + " " + lending.FormatMoney(last.Amount, l.in.Product.CurrencyDecimals)
	default:
		what = fmt.Sprintf("%d day(s) past due", l.st.Delinquency.DaysPastDue)
	}
	summary := "persist " + what
	if actor != "" {
		summary += " by " + string(actor)
	}
	if t != nil {
		l.inFlight = to
		summary = persisting(t.From, to, action, actor)
	}
	err := persistStep(ctx, summary, a.RecordServicing, in).Get(ctx, nil)
	l.inFlight = ""
	if err != nil {
		return err
	}
	l.upsertDelinquency(ctx)
	if actor != "" {
		l.lastAction(ctx, what, actor)
	}
	if t == nil {
		l.changes++
		l.describe(ctx)
		return nil
	}
	if to == lending.StatusClosed {
		l.st.ClosedOn = &today
	}
	l.apply(ctx, to, reason, nil)
	return nil
}

// upsertDelinquency keeps the arrears search attributes current, writing
// only what changed.
func (l *loan) upsertDelinquency(ctx workflow.Context) {
	d := l.st.Delinquency
	shown := workflow.GetTypedSearchAttributes(ctx)
	var updates []temporal.SearchAttributeUpdate
	if dpd, ok := shown.GetInt64(SearchAttrDaysPastDue); !ok || dpd != int64(d.DaysPastDue) {
		updates = append(updates, SearchAttrDaysPastDue.ValueSet(int64(d.DaysPastDue)))
	}
	if b, ok := shown.GetKeyword(SearchAttrDelinquencyBucket); !ok || b != d.Bucket {
		updates = append(updates, SearchAttrDelinquencyBucket.ValueSet(d.Bucket))
	}
	if len(updates) == 0 {
		return
	}
	// An index for engineers, not the loan's truth: a failed upsert is
	// logged, never fatal to the loan.
	if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
		workflow.GetLogger(ctx).Warn("upsert the arrears search attributes failed", "error", err)
	}
}

// serviceAccount is the main loop's turn for a serviced loan: penalties
// are charged through today and the arrears brought up to date, then the
// loan waits for an Update, or for tomorrow while it is overdue, or for the
// day after its next due date.
func (l *loan) serviceAccount(ctx workflow.Context) error {
	if err := l.mu.Lock(ctx); err != nil {
		return err
	}
	err := l.accrue(durable(ctx))
	l.mu.Unlock()
	if err != nil {
		return err
	}
	seen := l.changes
	changed := func() bool { return l.changes != seen }
	// An Update may have ended the loan while the accrual waited on its
	// activities: nothing would change it any more, so waiting for a change
	// would keep the workflow open for good.
	if l.st.Status.Terminal() && workflow.GetVersion(ctx, versionEndedDuringAccrual, workflow.DefaultVersion, 1) == 1 {
		return nil
	}
	if !l.st.Status.Repayable() || l.st.Status == lending.StatusWrittenOff {
		_, err := l.wait(ctx, "a servicing action (refund, recovery)", "", time.Time{}, changed)
		return err
	}
	now := workflow.Now(ctx)
	if l.st.Delinquency.DaysPastDue > 0 {
		_, err := l.wait(ctx, "a repayment; penalties and days past due are brought up to date daily", "daily arrears check", day(now).AddDate(0, 0, 1), changed)
		return err
	}
	next := l.nextDueDate(day(now))
	if next.IsZero() {
		_, err := l.wait(ctx, "a repayment", "", time.Time{}, changed)
		return err
	}
	due := "installment due " + next.Format(time.DateOnly)
	_, err = l.wait(ctx, "the "+due, due, next.AddDate(0, 0, 1), changed)
	return err
}

// nextDueDate is the due date of the first installment still owing on or
// after today, zero when none.
func (l *loan) nextDueDate(today time.Time) time.Time {
	for _, in := range l.st.Account.Installments {
		if !in.DueDate.Before(today) && in.Outstanding().IsPositive() {
			return in.DueDate
		}
	}
	return time.Time{}
}

// accrue charges the penalties due through today and records them with the
// arrears they come from; a loan that fell behind goes into arrears. The
// caller holds the lock.
func (l *loan) accrue(ctx workflow.Context) error {
	if !l.st.Status.Repayable() || l.st.Status == lending.StatusWrittenOff {
		return nil
	}
	today := day(workflow.Now(ctx))
	acc := l.st.Account
	res, err := acc.AccrueTo(today)
	if err != nil {
		return err
	}
	before := l.st.Delinquency
	after := acc.Delinquency(today)
	txs := l.penaltyTransactions(ctx, res)
	statusChange := l.statusOfAccount(today) != l.st.Status
	switch {
	case statusChange:
		reason := ""
		if after.DaysPastDue > 0 {
			reason = fmt.Sprintf("installment %d unpaid %d day(s) after its due date", after.Oldest, after.DaysPastDue)
		}
		action := lending.ActionArrears
		if after.DaysPastDue == 0 {
			action = lending.ActionCure
		}
		return l.persist(ctx, action, lending.System, reason, txs)
	case after.Bucket != before.Bucket:
		return l.persist(ctx, lending.ActionDelinquencyChange, lending.System,
			fmt.Sprintf("%d day(s) past due: bucket %s", after.DaysPastDue, after.Bucket), txs)
	case len(txs) > 0 || after.DaysPastDue != before.DaysPastDue:
		return l.persist(ctx, "", "", "", txs)
	}
	return nil
}
