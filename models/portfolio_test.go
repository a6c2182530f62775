package models

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
)

func TestLoansByDelinquencyBucketCountsOnlyLoansBeingRepaid(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "buckets")
		loans := []struct {
			status lending.Status
			bucket string
		}{
			{lending.StatusActive, "current"},
			{lending.StatusActive, "current"},
			{lending.StatusInArrears, "1-30"},
			{lending.StatusInArrears, "31-60"},
			{lending.StatusInArrears, "31-60"},
			{lending.StatusWrittenOff, "90+"},
			{lending.StatusClosed, "current"},
			{lending.StatusOverpaid, "current"},
			{lending.StatusSubmitted, ""},
		}
		for i, l := range loans {
			loan := createLoan(t, s, p, fmt.Sprintf("20000000000%02d", i), "1000.00")
			require.NoError(t, s.db(ctx).Model(&Loan{}).Where("ref = ?", loan.Ref).
				Updates(map[string]any{"status": l.status, "delinquency_bucket": l.bucket}).Error)
		}
		got, err := s.LoansByDelinquencyBucket(ctx)
		require.NoError(t, err)
		require.Equal(t, map[string]int64{"current": 2, "1-30": 1, "31-60": 2}, got)
	})
}
