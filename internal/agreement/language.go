package agreement

// language holds one translation of the agreement. Every language fills the
// same fields, so the documents share one structure; templates use the
// {placeholders} listed in placeholders().
type language struct {
	code    string // ISO 639-2 code it is registered under
	tag     string // BCP 47 tag for the PDF's /Lang entry
	numbers numberFormat
	months  func(n int) string // "12 months", with the language's plural rules
	days    func(n int) string // "3 days", likewise

	title            string
	placeLabel       string
	dateLabel        string
	partiesHeading   string
	partiesIntro     string
	partiesOutro     string
	lender           string
	partner          string
	borrower         string
	identityNumber   string
	birthDate        string
	address          string
	phone            string
	termsHeading     string
	amount           string
	currency         string
	term             string
	rate             string
	disbursementFee  string
	monthlyFee       string
	totalInterest    string
	totalFees        string
	totalRepayable   string
	apr              string
	firstRepayment   string
	clausesHeading   string
	clauses          [9]clause // subject, term, interest, fees, APR, repayment order, early repayment, late payment, final
	scheduleHeading  string
	columns          [6]string // number, due date, principal, interest, fees, total
	totalRow         string
	scheduleNote     string
	signatureHeading string
	statement        string // the borrower's acknowledgement above the signatures
	through          string // how the lender signs: through the partner's office
	signatureStamp   string
	signature        string
	footer           string

	// The product's servicing terms, which clauses 3.6–3.8 state through
	// {allocation}, {earlyRepaymentFee}, {prepayment} and {penalties}
	// (servicingTerms picks and joins these).
	allocation          [4]string // within an installment, per allocationOrders
	prepayment          [3]string // money beyond what is due, per prepaymentStrategies
	noEarlyRepaymentFee string
	earlyRepaymentFee   string    // {earlyFee}, capped at {feeCapLong} / {feeCapShort}
	noPenalties         string    // neither a late fee nor a penalty rate
	penaltiesFrom       [2]string // when an installment draws penalties: no grace days; {graceDays}
	lateFeeRule         string    // {lateFee}
	penaltyRateRule     string    // {penaltyRate}
	penaltyCap          [2]string // none but the law's; {penaltyCap}

	// The product's schedule, which clauses 3.3, 3.4 and 3.6 state through
	// {interestBase}, {installmentsIncluded}, {interestTerms},
	// {administrationFee}, {installmentsRepaid} and {repaymentTerms}
	// (scheduleTerms picks and fills these). Pairs are for monthly
	// installments and for installments {every} N months; grace texts for
	// one installment and for {grace} of them.
	every                  func(n int, months string) string // "every 2 months" of months "2 months", with the language's plural rules
	firstInstallments      func(n int) string                // "the first 2 installments", as the grace texts use it
	interestBase           [2]string                         // declining balance, flat: what the rate is charged on (an aside ends in its comma)
	installmentsIncluded   [2]string                         // clause 3.3: the installments interest is included in
	installmentsRepaid     [2]string                         // clause 3.6: the installments the loan is repaid in
	administrationFee      [2]string                         // clause 3.4: {monthlyFee} monthly, with each installment
	installmentFee         string                            // the main terms' label of the latter
	dailyInterest          string
	equalPrincipal         [2]string // declining balance, flat
	graceOnPrincipal       [2]string
	graceOnInterestPayment [2]string
	graceOnInterestCharged [2]string
}

// clause is one numbered clause: a short title printed in bold, then its text.
type clause struct {
	title, body string
}

// languages maps the accepted codes to their text. Albanian is registered
// under both its bibliographic (alb) and terminology (sqi) codes.
var languages = map[string]*language{
	"eng": &english,
	"ron": &romanian,
	"rus": &russian,
	"alb": &albanian,
	"sqi": &albanian,
	"mkd": &macedonian,
	"bos": &bosnian,
	"bul": &bulgarian,
}
