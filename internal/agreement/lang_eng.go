package agreement

var english = language{
	code:    "eng",
	tag:     "en",
	numbers: numberFormat{group: ",", decimal: "."},
	months: func(n int) string {
		if n == 1 {
			return count(n, "month")
		}
		return count(n, "months")
	},
	days: func(n int) string {
		if n == 1 {
			return count(n, "day")
		}
		return count(n, "days")
	},

	title:          "LOAN AGREEMENT No. {ref}",
	placeLabel:     "Place of conclusion",
	dateLabel:      "Date of conclusion",
	partiesHeading: "1. Parties",
	partiesIntro:   "This agreement is concluded between:",
	partiesOutro:   "hereinafter jointly referred to as the “Parties”, who have agreed as follows.",
	lender:         "Lender",
	partner:        "Partner (credit intermediary)",
	borrower:       "Borrower",
	identityNumber: "Personal identification number",
	birthDate:      "Date of birth",
	address:        "Address",
	phone:          "Phone",

	termsHeading:    "2. Main terms of the loan",
	amount:          "Loan amount",
	currency:        "Currency",
	term:            "Term",
	rate:            "Nominal annual interest rate (fixed)",
	disbursementFee: "Disbursement fee",
	monthlyFee:      "Monthly administration fee",
	totalInterest:   "Total interest",
	totalFees:       "Total fees",
	totalRepayable:  "Total amount repayable",
	apr:             "Annual percentage rate of charge (APR)",
	firstRepayment:  "First repayment date",

	clausesHeading: "3. Terms and conditions",
	clauses: [9]clause{
		{"Subject.", "The Lender grants the Borrower a loan of {amount} (the “Loan”), and the Borrower undertakes to repay the Loan together with the interest and fees set out in this agreement, in accordance with the repayment schedule in section 4."},
		{"Term.", "The Loan is granted for a term of {term}. The first installment is due on {first} and the last installment on {last}."},
		{"Interest.", "Interest is charged at a fixed nominal annual rate of {rate} {interestBase} and is included in the {installmentsIncluded}.{interestTerms} The total interest for the whole term is {totalInterest}."},
		{"Fees.", "A disbursement fee of {disbursementFee} and {administrationFee} are charged. The total fees for the whole term are {totalFees}. No fees other than those set out in this agreement are charged."},
		{"Annual percentage rate of charge.", "The annual percentage rate of charge (APR) is {apr}. It is calculated on the assumption that the agreement remains valid for the agreed term and that the Parties fulfil their obligations on time. The total amount repayable by the Borrower is {totalRepayable}."},
		{"Repayment order.", "The Borrower repays the Loan in {installmentsRepaid}, in the amounts and on the due dates set out in the repayment schedule in section 4, at the Partner's offices or by any other payment method accepted by the Lender. Payments are applied to the installments in order, starting with the oldest one due, and {allocation}.{repaymentTerms}"},
		{"Early repayment.", "The Borrower may repay the Loan early, in whole or in part, at any time. On full early repayment the Borrower pays the outstanding principal, the installments already due and the interest accrued up to the repayment date; interest and fees for later periods are not charged. {earlyRepaymentFee} {prepayment}"},
		{"Late payment.", "If an installment is not paid in full by its due date, the Borrower is in arrears and the Lender notifies the Borrower of the arrears. {penalties} If the arrears are not settled, the Lender may demand early repayment of the entire outstanding amount under the conditions provided by law."},
		{"Final provisions.", "This agreement enters into force on the date it is signed by both Parties and remains in force until the Borrower's obligations have been performed in full. It is drawn up in two copies of equal legal force, one for each Party. The Borrower confirms having received the pre-contractual information and a copy of this agreement with its repayment schedule."},
	},

	scheduleHeading: "4. Repayment schedule",
	columns:         [6]string{"No.", "Due date", "Principal", "Interest", "Fees", "Total"},
	totalRow:        "Total",
	scheduleNote:    "Amounts in {currency}.",

	signatureHeading: "5. Signatures of the Parties",
	statement:        "I have read and understood the terms of this agreement and I agree with them.",
	through:          "through {partner}, {office}",
	signatureStamp:   "Signature and stamp",
	signature:        "Signature",
	footer:           "Loan agreement No. {ref} — page {page} of {pages}",

	allocation: [4]string{
		"within each installment first to late-payment penalties, then to fees, then to interest and finally to principal",
		"within each installment first to interest, then to principal, then to late-payment penalties and finally to fees",
		"within each installment first to principal, then to interest, then to late-payment penalties and finally to fees",
		"within each installment already due first to late-payment penalties, then to fees, then to interest and finally to principal; a payment towards an installment not yet due goes first to its principal, then to penalties, fees and interest",
	},
	prepayment: [3]string{
		"Money paid beyond what is due is applied to the next installments in the order set out in clause 3.6, and the repayment schedule stays unchanged.",
		"Money paid beyond what is due repays principal early, and the remaining principal is spread over the same remaining installments, which become smaller.",
		"Money paid beyond what is due repays principal early, and the installment amount stays the same, so fewer installments remain.",
	},
	noEarlyRepaymentFee: "No early-repayment fee is charged.",
	earlyRepaymentFee:   "On full early repayment an early-repayment fee of {earlyFee} of the principal repaid early is charged; it never exceeds {feeCapLong} of that principal when more than one year of the term remains, {feeCapShort} when one year or less remains, nor the interest the Borrower saves by repaying early.",
	noPenalties:         "No late-payment penalties are charged.",
	penaltiesFrom: [2]string{
		"Late-payment penalties apply to an installment still unpaid after its due date.",
		"Late-payment penalties apply to an installment still unpaid {graceDays} after its due date.",
	},
	lateFeeRule:     "A late fee of {lateFee} is charged once for each such installment.",
	penaltyRateRule: "Penalty interest of {penaltyRate} per year accrues daily on its overdue principal.",
	penaltyCap: [2]string{
		"Late-payment penalties are not capped other than by the limits set by applicable law.",
		"All late-payment penalties together never exceed {penaltyCap} of the Loan amount.",
	},

	every: func(n int, months string) string {
		if n == 1 {
			return "every month"
		}
		return "every " + months
	},
	firstInstallments: func(n int) string { return "the first " + count(n, "installments") },
	interestBase: [2]string{
		"on the outstanding principal",
		"on the full amount of the Loan for the whole term, however much of it has been repaid,",
	},
	installmentsIncluded: [2]string{"monthly installments", "installments, which fall due {every}"},
	installmentsRepaid:   [2]string{"monthly installments", "installments due {every}"},
	administrationFee:    [2]string{"a monthly administration fee of {monthlyFee}", "an administration fee of {monthlyFee} with each installment"},
	installmentFee:       "Administration fee per installment",
	dailyInterest:        "Interest is calculated for each day of the period an installment covers.",
	equalPrincipal: [2]string{
		"The principal is repaid in equal parts, so the installments decrease as the interest on the outstanding principal falls.",
		"The principal is repaid in equal parts.",
	},
	graceOnPrincipal: [2]string{
		"No principal is repaid with the first installment.",
		"No principal is repaid with {grace}.",
	},
	graceOnInterestPayment: [2]string{
		"No interest is paid with the first installment; the interest of its period is paid with the later installments.",
		"No interest is paid with {grace}; the interest of their periods is paid with the later installments.",
	},
	graceOnInterestCharged: [2]string{
		"No interest is charged for the period of the first installment.",
		"No interest is charged for the periods of {grace}.",
	},
}
