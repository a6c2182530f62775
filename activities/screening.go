package activities

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/lending"
)

// ScreenInput is what the auto-reject rules look at.
type ScreenInput struct {
	Ref             int64
	Product         lending.Product
	Amount          decimal.Decimal
	TermMonths      int
	IdentityNumber  string
	BirthDate       time.Time
	MobilePhone     string
	HomePhone       string
	AltContactPhone string
	SubmittedAt     time.Time
}

// Screen applies the auto-reject rules (lending.Screen) and answers their
// reason codes, none when the application goes on to a decision. The count
// of the applicant's other open loans is the one thing they need from the
// database.
func (a *Activities) Screen(ctx context.Context, in ScreenInput) ([]string, error) {
	open, err := a.Store.CountOpenLoans(ctx, in.IdentityNumber, in.Product.Code, in.Ref)
	if err != nil {
		return nil, err
	}
	return lending.Screen(lending.Application{
		Product: in.Product, Amount: in.Amount, TermMonths: in.TermMonths,
		IdentityNumber: in.IdentityNumber, BirthDate: in.BirthDate, MobilePhone: in.MobilePhone,
		HomePhone: in.HomePhone, AltContactPhone: in.AltContactPhone, SubmittedAt: in.SubmittedAt,
	}, open), nil
}
