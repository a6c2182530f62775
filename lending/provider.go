package lending

import "slices"

// Ledger is the core-banking system a product's loans are booked in.
type Ledger string

// Ledgers.
const (
	LedgerNone     Ledger = "none"
	LedgerFineract Ledger = "fineract"
	LedgerMambu    Ledger = "mambu"
)

// Ledgers lists every ledger.
var Ledgers = []Ledger{LedgerNone, LedgerFineract, LedgerMambu}

// Valid reports whether l is one of Ledgers.
func (l Ledger) Valid() bool { return slices.Contains(Ledgers, l) }

// Books reports whether loans routed to l are posted to a ledger at all.
func (l Ledger) Books() bool { return l != "" && l != LedgerNone }

// Lender is who funds a product's loans.
type Lender string

// Lenders.
const (
	// LenderSelf: loanflow's operator funds the loan; its own staff
	// decide.
	LenderSelf Lender = "self"
	// LenderIute decides the application and the cash release itself;
	// loanflow files the loan with it and follows its decisions.
	LenderIute Lender = "iute"
	// LenderJulo registers and verifies the customer; our staff decide.
	LenderJulo Lender = "julo"
)

// Lenders lists every lender.
var Lenders = []Lender{LenderSelf, LenderIute, LenderJulo}

// Valid reports whether l is one of Lenders.
func (l Lender) Valid() bool { return slices.Contains(Lenders, l) }

// Decides reports whether the lender, not our underwriters and operations,
// approves the application and authorizes the cash release.
func (l Lender) Decides() bool { return l == LenderIute }
