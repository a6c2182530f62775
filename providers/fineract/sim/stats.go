package sim

import "strconv"

// LoanStats counts what the simulator holds for one loan: its transactions by kind (a foreclosure's
// repayment counts as a foreclosure, not a repayment) and the charges applied to it.
type LoanStats struct {
	ID              int64
	Status          int
	Disbursements   int
	Repayments      int
	Foreclosures    int
	WriteOffs       int
	InterestWaivers int
	ChargeWaivers   int
	Refunds         int
	Charges         int
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
		ls := LoanStats{ID: l.id, Status: l.status, Charges: len(l.charges)}
		for _, tx := range l.txs {
			switch {
			case tx.typ == txDisbursement:
				ls.Disbursements++
			case tx.typ == txRepayment && tx.foreclosure:
				ls.Foreclosures++
			case tx.typ == txRepayment:
				ls.Repayments++
			case tx.typ == txWriteOff:
				ls.WriteOffs++
			case tx.typ == txWaiveInterest:
				ls.InterestWaivers++
			case tx.typ == txWaiveCharges:
				ls.ChargeWaivers++
			case tx.typ == txRefundForActiveLoan || tx.typ == txCreditBalanceRefund:
				ls.Refunds++
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

// LoanProductID is the loan product the loan with externalID was opened
// under, 0 when there is no such loan.
func (s *Server) LoanProductID(externalID string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.loans {
		if l.externalID == externalID {
			return l.product.ID
		}
	}
	return 0
}
