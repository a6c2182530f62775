package activities_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/loanflow/loanflow/activities"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/providers/fineract"
	fineractsim "github.com/loanflow/loanflow/providers/fineract/sim"
	"github.com/loanflow/loanflow/providers/mambu"
	mambusim "github.com/loanflow/loanflow/providers/mambu/sim"
)

// tenant is a simulated ledger whose one loan product the tenant itself
// numbered or keyed, and the ledger products of a deployment configured
// as loanflow was before products named theirs.
type tenant struct {
	ledgers activities.Ledgers
	// own is the tenant's product; old the one loanflow used to book into.
	own, old lending.LedgerProducts
	// bookedUnder is the product the tenant opened loan ext under.
	bookedUnder func(ext string) lending.LedgerProducts
}

func newTenant(t *testing.T, ledger lending.Ledger) tenant {
	t.Helper()
	switch ledger {
	case lending.LedgerFineract:
		p := fineractsim.DefaultProduct
		p.ID = 12 // a tenant's products are numbered as they were created
		sim := fineractsim.New(fineractsim.Config{Products: []fineractsim.Product{p}})
		srv := httptest.NewServer(sim)
		t.Cleanup(srv.Close)
		c, err := fineract.New(fineract.Config{BaseURL: srv.URL + "/api/v1", Tenant: fineractsim.DefaultTenant,
			Username: fineractsim.DefaultUsername, Password: fineractsim.DefaultPassword})
		require.NoError(t, err)
		return tenant{ledgers: activities.Ledgers{Fineract: c, FineractOfficeID: 1},
			own: lending.LedgerProducts{FineractProductID: 12}, old: lending.LedgerProducts{FineractProductID: 1},
			bookedUnder: func(ext string) lending.LedgerProducts {
				return lending.LedgerProducts{FineractProductID: sim.LoanProductID(ext)}
			}}
	default:
		p := mambuProduct()
		p.EncodedKey = "" // the tenant generates it
		sim := mambusim.New(mambusim.Config{Products: []mambusim.Product{p}})
		srv := httptest.NewServer(sim)
		t.Cleanup(srv.Close)
		c, err := mambu.New(mambu.Config{BaseURL: srv.URL + "/api", Username: mambusim.DefaultUsername, Password: mambusim.DefaultPassword})
		require.NoError(t, err)
		key := sim.ProductKey(p.ID)
		require.NotEqual(t, mambusim.DefaultProduct.EncodedKey, key)
		return tenant{ledgers: activities.Ledgers{Mambu: c},
			own: lending.LedgerProducts{MambuProductKey: key}, old: lending.LedgerProducts{MambuProductKey: mambusim.DefaultProduct.EncodedKey},
			bookedUnder: func(ext string) lending.LedgerProducts {
				return lending.LedgerProducts{MambuProductKey: sim.LoanProductKey(ext)}
			}}
	}
}

// eachLedger runs check for Fineract and Mambu, each with a fresh fixture
// whose loan was submitted under the seeded product booked in that ledger,
// and a tenant of the ledger.
func eachLedger(t *testing.T, check func(t *testing.T, ledger lending.Ledger, f *fixture, tn tenant)) {
	for _, ledger := range []lending.Ledger{lending.LedgerFineract, lending.LedgerMambu} {
		t.Run(string(ledger), func(t *testing.T) {
			f := newFixture(t)
			require.NoError(t, f.store.DB.Model(&models.Loan{}).Where("ref = ?", f.ref).Update("product_code", string(ledger)).Error)
			check(t, ledger, f, newTenant(t, ledger))
		})
	}
}

// A loan is booked under the ledger product its loanflow product names: a
// tenant whose product is not the one loanflow used to assume refuses the
// loan under the deployment's old default (a failure the booking retries,
// being the operator's), and takes it once the product names the tenant's
// own.
func TestLedgerBookUsesTheProductsLedgerProduct(t *testing.T) {
	eachLedger(t, func(t *testing.T, ledger lending.Ledger, f *fixture, tn tenant) {
		ctx := context.Background()
		ledgers := tn.ledgers
		ledgers.Products = tn.old
		f.env.RegisterActivity(&activities.Activities{Store: f.store, Ledgers: ledgers})
		in := activities.LedgerInput{Ref: f.ref, Ledger: ledger}

		_, err := f.env.ExecuteActivity(acts.LedgerBook, in)
		var appErr *temporal.ApplicationError
		require.True(t, errors.As(err, &appErr), "%v", err)
		require.False(t, appErr.NonRetryable(), "the tenant has no such product, the operator's to fix: the booking waits and retries (%v)", err)

		prod, err := f.store.GetProduct(ctx, string(ledger))
		require.NoError(t, err)
		prod.LedgerProducts = tn.own
		require.NoError(t, f.store.UpsertProduct(ctx, prod))
		v, err := f.env.ExecuteActivity(acts.LedgerBook, in)
		require.NoError(t, err)
		var id string
		require.NoError(t, v.Get(&id))
		require.NotEmpty(t, id)
		require.Equal(t, tn.own, tn.bookedUnder("loanflow-"+strconv.FormatInt(f.ref, 10)))
	})
}

// A product that names no ledger product books under the deployment's.
func TestLedgerBookFallsBackToTheDeploymentsLedgerProduct(t *testing.T) {
	eachLedger(t, func(t *testing.T, ledger lending.Ledger, f *fixture, tn tenant) {
		ledgers := tn.ledgers
		ledgers.Products = tn.own
		f.env.RegisterActivity(&activities.Activities{Store: f.store, Ledgers: ledgers})
		_, err := f.env.ExecuteActivity(acts.LedgerBook, activities.LedgerInput{Ref: f.ref, Ledger: ledger})
		require.NoError(t, err)
		require.Equal(t, tn.own, tn.bookedUnder("loanflow-"+strconv.FormatInt(f.ref, 10)))
	})
}

// With no ledger product anywhere, nothing is sent to the ledger and the
// step fails retryably, naming the setting: it is the operator's to fix,
// and the loan must not be refused for it.
func TestLedgerBookWithoutALedgerProductWaitsForTheOperator(t *testing.T) {
	eachLedger(t, func(t *testing.T, ledger lending.Ledger, f *fixture, tn tenant) {
		f.env.RegisterActivity(&activities.Activities{Store: f.store, Ledgers: tn.ledgers})
		_, err := f.env.ExecuteActivity(acts.LedgerBook, activities.LedgerInput{Ref: f.ref, Ledger: ledger})
		var appErr *temporal.ApplicationError
		require.True(t, errors.As(err, &appErr), "%v", err)
		require.False(t, appErr.NonRetryable())
		require.ErrorContains(t, err, lending.LedgerProductField(ledger))
		require.ErrorContains(t, err, lending.LedgerProductVariable(ledger))
		require.Equal(t, lending.LedgerProducts{}, tn.bookedUnder("loanflow-"+strconv.FormatInt(f.ref, 10)), "nothing booked")
	})
}
