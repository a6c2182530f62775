package service_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testkit"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/service"
)

// A process refuses to start while a product booked in a ledger names no
// ledger product and the deployment gives no default, naming the product
// and both ways to fix it.
func TestStartupNeedsEveryLedgerProduct(t *testing.T) {
	ctx := context.Background()
	store := testkit.Store(t) // seeds products fineract and mambu, naming none

	err := service.CheckLedgerProducts(ctx, store, lending.LedgerProducts{})
	require.ErrorContains(t, err, "product fineract is booked in fineract")
	require.ErrorContains(t, err, "fineract_product_id, or LOANFLOW_FINERACT_PRODUCT_ID")
	require.ErrorContains(t, err, "product mambu is booked in mambu")
	require.ErrorContains(t, err, "mambu_product_key, or LOANFLOW_MAMBU_PRODUCT_KEY")
	require.NotContains(t, err.Error(), "consumer", "a product booked nowhere needs none")

	err = service.CheckLedgerProducts(ctx, store, lending.LedgerProducts{MambuProductKey: "k"})
	require.ErrorContains(t, err, "product fineract")
	require.NotContains(t, err.Error(), "product mambu")

	p, err := store.GetProduct(ctx, "fineract")
	require.NoError(t, err)
	p.LedgerProducts.FineractProductID = 3
	require.NoError(t, store.UpsertProduct(ctx, p))
	require.NoError(t, service.CheckLedgerProducts(ctx, store, lending.LedgerProducts{MambuProductKey: "k"}))
}
