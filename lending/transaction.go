package lending

// TransactionKind is what a movement of money on a loan was.
type TransactionKind string

// Transaction kinds.
const (
	TxDisbursement TransactionKind = "disbursement"
	TxRepayment    TransactionKind = "repayment"
)
