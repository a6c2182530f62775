package schedulecmd

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/schedule"
)

// Period is one installment of the result; amounts are strings at the currency's scale.
type Period struct {
	Number    int    `json:"number"`
	FromDate  string `json:"from_date"`
	DueDate   string `json:"due_date"`
	Days      int    `json:"days"`
	Principal string `json:"principal"`
	Interest  string `json:"interest"`
	Fees      string `json:"fees"`
	Total     string `json:"total"`
	Balance   string `json:"balance"`
}

// Result is the `loanflow schedule` answer. APR is the EU Consumer Credit Directive rate in percent.
type Result struct {
	Periods        []Period `json:"periods"`
	TotalPrincipal string   `json:"total_principal"`
	TotalInterest  string   `json:"total_interest"`
	TotalFees      string   `json:"total_fees"`
	TotalRepayment string   `json:"total_repayment"`
	APR            string   `json:"apr"`
	NetDisbursed   string   `json:"net_disbursed"`
}

// NewResult renders a schedule with amounts at places decimals.
func NewResult(s *schedule.Schedule, places int32) Result {
	money := func(d decimal.Decimal) string { return Fixed(d, places) }
	out := Result{
		Periods:        make([]Period, len(s.Periods)),
		TotalPrincipal: money(s.TotalPrincipal),
		TotalInterest:  money(s.TotalInterest),
		TotalFees:      money(s.TotalFees),
		TotalRepayment: money(s.TotalRepayment),
		APR:            Fixed(s.APR, 2),
		NetDisbursed:   money(s.NetDisbursed),
	}
	for i, p := range s.Periods {
		out.Periods[i] = Period{
			Number:    p.Number,
			FromDate:  p.FromDate.Format(time.DateOnly),
			DueDate:   p.DueDate.Format(time.DateOnly),
			Days:      p.Days,
			Principal: money(p.Principal),
			Interest:  money(p.Interest),
			Fees:      money(p.Fees),
			Total:     money(p.Total),
			Balance:   money(p.Balance),
		}
	}
	return out
}
