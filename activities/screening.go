package activities

import (
	"context"

	"github.com/loanflow/loanflow/lending"
)

// ScreenInput is the application the auto-reject rules look at, and the loan it is for.
type ScreenInput struct {
	Ref int64
	lending.Application
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
	return lending.Screen(in.Application, open), nil
}
