package sim

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/providers/simfault"
	"github.com/loanflow/loanflow/schedule"
)

// Options configure a simulator. Zero values take the defaults noted on each field.
type Options struct {
	Username    string // default "partner"
	Password    string // default "secret"
	PartnerType string // default "post"

	// AnnualInterestRate is the nominal yearly rate in percent of the product Iute offers (default 36).
	AnnualInterestRate decimal.Decimal
	// MonthlyFeePercent is a fee in percent of the principal added to every installment (default 0).
	MonthlyFeePercent decimal.Decimal
	MinAmount         decimal.Decimal // default 100
	MaxAmount         decimal.Decimal // default 50000
	MaxDuration       int             // months, default 60

	// AutoDecide makes the simulator its own operator: applications are decided (Decide, nil approves)
	// after AutoDecideAfter status checks, and the cash release is authorized as soon as files arrive.
	AutoDecide      bool
	AutoDecideAfter int
	Decide          func(Application) bool

	// RejectionCooldown is how long a rejected person cannot apply again (default 24h; negative: none).
	RejectionCooldown time.Duration
	FirstLoanRef      int64            // default 90000, as in Iute's samples
	Now               func() time.Time // default time.Now
	Faults            Faults
}

// Server is an in-memory Iute CRM behind the Partner API. It is an http.Handler serving the API under
// /rest/api/partner; mount it under a context path with http.StripPrefix if needed.
type Server struct {
	opts Options
	simfault.Front

	mu      sync.Mutex
	loans   map[int64]*loan
	nextRef int64
}

// New returns a simulator with opts.
func New(opts Options) *Server {
	opts.Username = cmp.Or(opts.Username, "partner")
	opts.Password = cmp.Or(opts.Password, "secret")
	opts.PartnerType = cmp.Or(opts.PartnerType, "post")
	if opts.AnnualInterestRate.IsZero() {
		opts.AnnualInterestRate = decimal.NewFromInt(36)
	}
	if opts.MinAmount.IsZero() {
		opts.MinAmount = decimal.NewFromInt(100)
	}
	if opts.MaxAmount.IsZero() {
		opts.MaxAmount = decimal.NewFromInt(50000)
	}
	opts.MaxDuration = cmp.Or(opts.MaxDuration, 60)
	opts.RejectionCooldown = cmp.Or(opts.RejectionCooldown, 24*time.Hour)
	opts.FirstLoanRef = cmp.Or(opts.FirstLoanRef, 90000)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, loans: map[int64]*loan{}, nextRef: opts.FirstLoanRef}
	s.Front = simfault.NewFront(opts.Faults, s.routes(), func(w http.ResponseWriter, status int, msg string) { writeError(w, status, msg) })
	return s
}

// Approve is the Iute employee approving a NEW application.
func (s *Server) Approve(ref int64) error { return s.decide(ref, true) }

// Reject is the Iute employee rejecting a NEW application.
func (s *Server) Reject(ref int64) error { return s.decide(ref, false) }

func (s *Server) decide(ref int64, approve bool) error {
	return s.operate(ref, StateNew, "only NEW applications are decided", func(l *loan) error {
		s.decideLocked(l, approve)
		return nil
	})
}

// operate runs op, as the Iute employee, on the loan ref, which must be in state (why says so if not).
func (s *Server) operate(ref int64, state State, why string, op func(*loan) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.loans[ref]
	if !ok {
		return fmt.Errorf("iute sim: loan %d not found", ref)
	}
	if l.state != state {
		return fmt.Errorf("iute sim: loan %d is %s, %s", ref, l.state, why)
	}
	return op(l)
}

func (s *Server) decideLocked(l *loan, approve bool) {
	l.state = StateRejected
	if approve {
		l.state = StateApproved
	}
	l.decidedAt = s.opts.Now()
}

// AuthorizeCashRelease is the Iute employee accepting the uploaded files of an approved loan.
func (s *Server) AuthorizeCashRelease(ref int64) error {
	return s.operate(ref, StateApproved, "cash release is authorized for APPROVED loans", func(l *loan) error {
		if !l.files {
			return fmt.Errorf("iute sim: loan %d has no signed agreement and bank statement uploaded", ref)
		}
		l.state = StateCashReleaseAllowed
		return nil
	})
}

// Loans counts the applications created.
func (s *Server) Loans() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.loans)
}

// Repayments counts the repayments applied to a loan.
func (s *Server) Repayments(ref int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.loans[ref]; ok {
		return len(l.repayments)
	}
	return 0
}

// Loan returns a snapshot of one loan.
func (s *Server) Loan(ref int64) (Loan, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.loans[ref]
	if !ok {
		return Loan{}, false
	}
	return l.snapshot(), true
}

// LoanRefs lists every loan ref in creation order.
func (s *Server) LoanRefs() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	refs := make([]int64, 0, len(s.loans))
	for ref := range s.loans {
		refs = append(refs, ref)
	}
	slices.Sort(refs)
	return refs
}

// plan computes Iute's schedule for amount over months paid out today.
func (s *Server) plan(amount decimal.Decimal, months int) (*schedule.Schedule, error) {
	now := s.opts.Now()
	t := schedule.Terms{
		Principal:          amount,
		DisbursementDate:   time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC),
		NumberOfRepayments: months,
		RepaymentEvery:     1,
		RepaymentFrequency: schedule.Months,
		InterestRate:       s.opts.AnnualInterestRate,
	}
	if !s.opts.MonthlyFeePercent.IsZero() {
		t.Fees = []schedule.Fee{{Type: schedule.FeeMonthly, Calculation: schedule.FeePercentOfPrincipal, Amount: s.opts.MonthlyFeePercent}}
	}
	return schedule.Generate(t)
}
