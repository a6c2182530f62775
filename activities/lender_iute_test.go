package activities_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/providers/iute"
	iutesim "github.com/loanflow/loanflow/providers/iute/sim"
)

// TestIuteSubmitAdoptsOnlyItsOwnApplication: Iute refuses a second open
// application of a person and names the first. A retry of the loan that
// filed it adopts the ref (its earlier answer was lost); another loan of
// the same person must not.
func TestIuteSubmitAdoptsOnlyItsOwnApplication(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sim := iutesim.New(iutesim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c, err := iute.New(iute.Config{BaseURL: srv.URL, Username: "partner", Password: "secret", PartnerType: "post"})
	require.NoError(t, err)
	f.env.RegisterActivity(&activities.Activities{Store: f.store, Lenders: activities.Lenders{Iute: c}})
	require.NoError(t, f.store.DB.Model(&models.Loan{}).Where("ref = ?", f.ref).Updates(map[string]any{"lender": "iute"}).Error)
	require.NoError(t, f.store.DB.Model(&models.Loan{}).Where("ref = ?", f.ref).Updates(&models.Loan{
		Applicant: fullApplicant(), SubmittedBy: "Mike", Office: "Main office"}).Error)

	submit := func(ref int64) (string, error) {
		v, err := f.env.ExecuteActivity(acts.IuteSubmit, activities.LenderInput{Ref: ref})
		if err != nil {
			return "", err
		}
		var id string
		require.NoError(t, v.Get(&id))
		return id, nil
	}
	first, err := submit(f.ref)
	require.NoError(t, err)
	again, err := submit(f.ref) // the retry after a lost answer
	require.NoError(t, err)
	require.Equal(t, first, again)
	require.Equal(t, 1, sim.Loans())

	other := &models.Loan{PartnerID: 1, ProductCode: "iute", Lender: "iute", Ledger: "none", Status: lending.StatusSubmitted,
		IdempotencyKey: "k2", Currency: "MDL", Amount: decimal.RequireFromString("1500.00"), TermMonths: 6,
		AnnualInterestRate: decimal.RequireFromString("36"),
		Applicant:          fullApplicant(), SubmittedBy: "Mike", Office: "Main office",
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
	require.NoError(t, f.store.CreateLoan(ctx, other))
	_, err = submit(other.Ref)
	require.Error(t, err)
	require.Contains(t, err.Error(), "already has an open application")
	loan, err := f.store.GetLoan(ctx, other.Ref)
	require.NoError(t, err)
	require.Empty(t, loan.LenderLoanID)
}

func fullApplicant() models.Applicant {
	return models.Applicant{IdentityNumber: "I12356789T", FirstName: "John", LastName: "Smith", Patronymic: "James",
		BirthDate: date("1990-01-01"), DocumentSerial: "200000907", MobilePhone: "0123456789", HomePhone: "012345678",
		AltContactName: "June", AltContactRel: "sister", AltContactPhone: "0987654321",
		Town: "Chisinau", Street: "Long street", House: "11"}
}
