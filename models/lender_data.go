package models

import "context"

// SetLenderData replaces a loan's lender data, e.g. to drop a secret the
// lender no longer needs once the customer is registered.
func (s *Store) SetLenderData(ctx context.Context, ref int64, data string) error {
	return writeErr("set lender data", updateLoan(s.db(ctx), ref, map[string]any{"lender_data": data}))
}
