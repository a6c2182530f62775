package sim

import "strconv"

// LoanStats counts what the simulator holds for one loan.
type LoanStats struct {
	ID            int64
	Status        int
	Disbursements int
	Repayments    int
}

// Stats is what the simulator holds, for tests that check nothing was booked twice or lost. Loans is
// keyed by externalId (our loan ref); a loan submitted without one is keyed "id:<n>".
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
		ls := LoanStats{ID: l.id, Status: l.status}
		for _, tx := range l.txs {
			switch tx.typ {
			case txDisbursement:
				ls.Disbursements++
			case txRepayment:
				ls.Repayments++
			}
		}
		key := l.externalID
		if key == "" {
			key = "id:" + strconv.FormatInt(l.id, 10)
		}
		st.Loans[key] = ls
	}
	return st
}
