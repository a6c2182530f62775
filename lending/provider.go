package lending

import (
	"regexp"
	"slices"
)

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

// LedgerProducts are the products a loan is booked under in each ledger:
// the Fineract loan product id and the Mambu loan product's encodedKey.
// Each ledger's tenant generates them when its product is set up, so
// loanflow cannot know them: a loanflow product names them, or the
// deployment's defaults (LOANFLOW_FINERACT_PRODUCT_ID,
// LOANFLOW_MAMBU_PRODUCT_KEY) do. The zero value names none.
type LedgerProducts struct {
	FineractProductID int64  `json:",omitempty"`
	MambuProductKey   string `json:",omitempty"`
}

// Or is p with the products it leaves out taken from def.
func (p LedgerProducts) Or(def LedgerProducts) LedgerProducts {
	if p.FineractProductID == 0 {
		p.FineractProductID = def.FineractProductID
	}
	if p.MambuProductKey == "" {
		p.MambuProductKey = def.MambuProductKey
	}
	return p
}

// Names reports whether p names the product loans are booked under in l;
// a ledger that books nothing needs none.
func (p LedgerProducts) Names(l Ledger) bool {
	switch l {
	case LedgerFineract:
		return p.FineractProductID > 0
	case LedgerMambu:
		return p.MambuProductKey != ""
	}
	return true
}

// LedgerProductField is the product setting naming l's ledger product, as
// the admin API names it; "" for a ledger that books nothing.
func LedgerProductField(l Ledger) string {
	switch l {
	case LedgerFineract:
		return "fineract_product_id"
	case LedgerMambu:
		return "mambu_product_key"
	}
	return ""
}

// LedgerProductVariable is the environment variable holding the
// deployment's default ledger product of l; "" for a ledger that books
// nothing.
func LedgerProductVariable(l Ledger) string {
	switch l {
	case LedgerFineract:
		return "LOANFLOW_FINERACT_PRODUCT_ID"
	case LedgerMambu:
		return "LOANFLOW_MAMBU_PRODUCT_KEY"
	}
	return ""
}

// ValidMambuProductKey reports whether key can be a Mambu product's
// encodedKey: Mambu generates 32 hexadecimal digits; letters, digits, dash
// and underscore, up to 64, are accepted so a tenant's own format is not
// second-guessed.
func ValidMambuProductKey(key string) bool { return mambuKeyPattern.MatchString(key) }

var mambuKeyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
