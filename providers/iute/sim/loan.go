package sim

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/schedule"
)

// State is a loan's step in Iute's process.
type State string

// States, in process order.
const (
	StateNew                State = "NEW"
	StateApproved           State = "APPROVED"
	StateRejected           State = "REJECTED"
	StateCancelled          State = "CANCELLED"
	StateCashReleaseAllowed State = "CASH_RELEASE_ALLOWED"
	StateActive             State = "ACTIVE"
	StateRepaid             State = "REPAID"
)

// crmStatus is the loan_status allow cash release reports; "normal" is Iute's word for a loan in good
// standing, as in its sample answer.
func (s State) crmStatus() string {
	switch s {
	case StateCashReleaseAllowed:
		return iutewire.LoanStatusNormal
	default:
		return map[State]string{
			StateNew: "new", StateApproved: "approved", StateRejected: "rejected",
			StateCancelled: "cancelled", StateActive: "active", StateRepaid: "repaid",
		}[s]
	}
}

// Application is what the partner submitted, as the operator sees it.
type Application struct {
	PIN              string
	FirstName        string
	LastName         string
	Patronymic       string
	BirthDate        time.Time
	GSM              string
	Town             string
	LoanAmount       decimal.Decimal
	LoanDuration     int
	SubmitPerson     string
	SubmitPostOffice string
	IDCopy           bool // an id_copy file came with the application
	DataVerification bool // a data_verification file came with the application
}

// Repayment is one insert repayment call that was applied.
type Repayment struct {
	Date   time.Time
	Amount decimal.Decimal
}

// Installment is one row of a loan's schedule with what is still to be paid on it.
type Installment struct {
	Number   int
	DueDate  time.Time
	Total    decimal.Decimal
	ToBePaid decimal.Decimal
}

// Loan is a snapshot of one application for tests and dashboards.
type Loan struct {
	Ref                 int64
	State               State
	Application         Application
	SubmittedAt         time.Time
	FilesUploaded       bool
	AgreementsGenerated int
	TotalBalance        decimal.Decimal
	Repaid              decimal.Decimal
	Remaining           decimal.Decimal
	Installments        []Installment
	Repayments          []Repayment
}

// loan is the simulator's record; guarded by Server.mu.
type loan struct {
	ref         int64
	state       State
	app         Application
	submittedAt time.Time
	decidedAt   time.Time
	checks      int // status checks answered while NEW, for AutoDecideAfter
	plan        *schedule.Schedule
	files       bool
	agreements  int
	repayments  []Repayment
}

func (l *loan) repaid() decimal.Decimal {
	sum := decimal.Zero
	for _, r := range l.repayments {
		sum = sum.Add(r.Amount)
	}
	return sum
}

func (l *loan) total() decimal.Decimal { return l.plan.TotalRepayment }

// installments covers the schedule with the repaid total from installment 1 on, as Iute does whatever
// the repayment dates.
func (l *loan) installments() []Installment {
	left := l.repaid()
	out := make([]Installment, 0, len(l.plan.Periods))
	for _, p := range l.plan.Periods {
		covered := decimal.Min(left, p.Total)
		left = left.Sub(covered)
		out = append(out, Installment{Number: p.Number, DueDate: p.DueDate, Total: p.Total, ToBePaid: p.Total.Sub(covered)})
	}
	return out
}

func (l *loan) snapshot() Loan {
	repaid := l.repaid()
	return Loan{
		Ref:                 l.ref,
		State:               l.state,
		Application:         l.app,
		SubmittedAt:         l.submittedAt,
		FilesUploaded:       l.files,
		AgreementsGenerated: l.agreements,
		TotalBalance:        l.total(),
		Repaid:              repaid,
		Remaining:           l.total().Sub(repaid),
		Installments:        l.installments(),
		Repayments:          append([]Repayment(nil), l.repayments...),
	}
}

// open reports whether the application still blocks a new one for the same person.
func (l *loan) open(now time.Time, cooldown time.Duration) bool {
	switch l.state {
	case StateNew, StateApproved, StateCashReleaseAllowed:
		return true
	case StateRejected:
		return now.Sub(l.decidedAt) < cooldown
	}
	return false
}
