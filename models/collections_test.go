package models

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
)

func TestCollections(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "demo")
		loans := []struct {
			status lending.Status
			dpd    int
		}{
			{lending.StatusInArrears, 12},
			{lending.StatusActive, 0},
			{lending.StatusInArrears, 95},
			{lending.StatusClosed, 40}, // settled: no longer collected
			{lending.StatusInArrears, 12},
			{lending.StatusSubmitted, 3}, // never paid out
			{lending.StatusInArrears, 31},
		}
		refs := make([]int64, len(loans))
		for i, l := range loans {
			loan := createLoan(t, s, p, fmt.Sprintf("I%d", i), "1000")
			refs[i] = loan.Ref
			require.NoError(t, s.DB.Model(&Loan{}).Where("ref = ?", loan.Ref).
				Updates(map[string]any{"status": l.status, "days_past_due": l.dpd}).Error)
		}
		ref := func(l Loan) int64 { return l.Ref }

		got, total, err := s.Collections(ctx, 10, 0)
		require.NoError(t, err)
		require.Equal(t, int64(4), total)
		require.Equal(t, []int64{refs[2], refs[6], refs[0], refs[4]}, keys(got, ref), "longest overdue first, then by ref")

		page, total, err := s.Collections(ctx, 2, 2)
		require.NoError(t, err)
		require.Equal(t, int64(4), total)
		require.Equal(t, []int64{refs[0], refs[4]}, keys(page, ref))
	})
}
