package agreement

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/agreement/agreementtest"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// sampleAgreement builds a consistent agreement for borrower with n equal
// monthly installments: principal split evenly with the residue on the last
// installment, 1 % of the amount as interest per month, a flat monthly fee.
func sampleAgreement(borrower string, n int) Agreement {
	amount := decimal.RequireFromString("12500.00")
	monthlyFee := decimal.RequireFromString("15.00")
	base := amount.Div(decimal.NewFromInt(int64(n))).RoundDown(2)
	interest := amount.Mul(decimal.RequireFromString("0.01")).Round(2)
	a := Agreement{
		Ref:                90017,
		Date:               day(2025, time.November, 21),
		Lender:             "Iute Credit Macedonia DOOEL",
		Partner:            "Pošta Partner",
		Office:             "Office 7, Skopje",
		BorrowerName:       borrower,
		IdentityNumber:     "2001990450011",
		BirthDate:          day(1990, time.January, 20),
		Address:            "ul. Makedonija 12, 1000 Skopje",
		Phone:              "+389 70 123 456",
		Currency:           "MKD",
		Amount:             amount,
		TermMonths:         n,
		AnnualInterestRate: decimal.RequireFromString("12.00"),
		DisbursementFee:    decimal.RequireFromString("0.00"),
		MonthlyFee:         monthlyFee,
		APR:                decimal.RequireFromString("15.87"),
		FirstRepaymentDate: day(2025, time.December, 21),
	}
	rest := amount
	for i := 1; i <= n; i++ {
		p := base
		if i == n {
			p = rest
		}
		rest = rest.Sub(p)
		in := Installment{
			Number: i, DueDate: a.FirstRepaymentDate.AddDate(0, i-1, 0),
			Principal: p, Interest: interest, Fees: monthlyFee,
		}
		in.Total = in.Principal.Add(in.Interest).Add(in.Fees)
		a.Installments = append(a.Installments, in)
		a.TotalInterest = a.TotalInterest.Add(in.Interest)
		a.TotalFees = a.TotalFees.Add(in.Fees)
		a.TotalRepayable = a.TotalRepayable.Add(in.Total)
	}
	return a
}

func allText(t *testing.T, doc []byte) string {
	t.Helper()
	return strings.Join(agreementtest.PageTexts(t, doc), "\n")
}
