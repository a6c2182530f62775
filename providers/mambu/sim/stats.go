package sim

// LoanStats counts what the simulator holds for one loan account: its transactions by type (a CLOSE
// is a change of State, not a transaction).
type LoanStats struct {
	EncodedKey          string
	State               string
	Disbursements       int
	Repayments          int
	Fees                int
	FeeAdjustments      int
	InterestAdjustments int
	WriteOffs           int
	PaymentsMade        int
}

// Stats is what the simulator holds, for tests that check nothing was booked twice or lost. Loans is
// keyed by loan id (our loan ref).
type Stats struct {
	Clients int
	Loans   map[string]LoanStats
}

// Stats counts the clients, loans and transactions per loan.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{Clients: len(s.clients), Loans: make(map[string]LoanStats, len(s.loans))}
	for _, l := range s.loans {
		ls := LoanStats{EncodedKey: l.key, State: l.state}
		for _, tx := range l.txs {
			switch tx.typ {
			case "DISBURSMENT":
				ls.Disbursements++
			case "REPAYMENT":
				ls.Repayments++
			case "FEE":
				ls.Fees++
			case "FEE_ADJUSTMENT":
				ls.FeeAdjustments++
			case "INTEREST_APPLIED_ADJUSTMENT":
				ls.InterestAdjustments++
			case "WRITE_OFF":
				ls.WriteOffs++
			case "PAYMENT_MADE":
				ls.PaymentsMade++
			}
		}
		st.Loans[l.id] = ls
	}
	return st
}

// LoanProductKey is the productTypeKey the loan with id was opened under,
// "" when there is no such loan.
func (s *Server) LoanProductKey(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.loans {
		if l.id == id {
			return l.product.EncodedKey
		}
	}
	return ""
}
