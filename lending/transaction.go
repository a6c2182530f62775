package lending

// TransactionKind is what a movement of money on a loan was.
type TransactionKind string

// Transaction kinds.
const (
	TxDisbursement TransactionKind = "disbursement"
	TxRepayment    TransactionKind = "repayment"
	// Servicing: an early settlement, a refund of an overpayment, a waiver,
	// a write-off, a recovery after it, a penalty charged.
	TxSettlement TransactionKind = "settlement"
	TxRefund     TransactionKind = "refund"
	TxWaiver     TransactionKind = "waiver"
	TxWriteOff   TransactionKind = "write_off"
	TxRecovery   TransactionKind = "recovery"
	TxPenalty    TransactionKind = "penalty"
)
