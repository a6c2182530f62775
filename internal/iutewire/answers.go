package iutewire

import (
	"bytes"
	"encoding/xml"
)

// XMLDeclaration opens every XML answer, as in the document's samples.
const XMLDeclaration = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`

// Values of check loan status's approved: an application still pending, approved, or rejected. Any
// other status is answered 400.
const (
	ApprovedFalse    = "false"
	ApprovedTrue     = "true"
	ApprovedRejected = "rejected"
)

// Check loan info's message and status: the loan, or none before it is paid out.
const (
	InfoSuccess      = "success"
	InfoStatusOK     = "0"
	InfoNoActiveLoan = "No active loan found!"
	InfoStatusNoLoan = "-1"
)

// LoanStatusNormal is allow cash release's loan_status for a loan whose cash may be paid out.
const LoanStatusNormal = "normal"

// "client" is Iute's word for the borrower in every answer below.

// LoanCalc answers calculate loan conditions.
type LoanCalc struct {
	XMLName            xml.Name `xml:"loan_calc"`
	FirstRepaymentDate string   `xml:"first_repayment_date"`
	MonthlyPayment     string   `xml:"monthly_payment"`
	TotalLoanAmount    string   `xml:"total_loan_amount"`
}

// NewLoan answers add new loan. A loan the façade cannot price has no first repayment date: the
// element is left out, as Java leaves out a null field.
type NewLoan struct {
	XMLName            xml.Name `xml:"loan"`
	LoanRef            string   `xml:"loan_ref"`
	LoanPeriod         string   `xml:"loan_period"`
	FirstRepaymentDate string   `xml:"first_repayment_date,omitempty"`
	ClientPIN          string   `xml:"client_pin"`
	ClientName         string   `xml:"client_name"`
}

// LoanStatus answers check loan status; Approved is one of the Approved* values.
type LoanStatus struct {
	XMLName  xml.Name `xml:"loan"`
	Approved string   `xml:"approved"`
	LoanRef  string   `xml:"loan_ref"`
}

// LoanResponse answers check loan info; Loan is nil with InfoStatusNoLoan.
type LoanResponse struct {
	XMLName xml.Name  `xml:"loan_response"`
	Message string    `xml:"message"`
	Status  string    `xml:"status"`
	Loan    *LoanInfo `xml:"loan,omitempty"`
}

// LoanInfo is a paid-out loan with its installment table.
type LoanInfo struct {
	LoanRef          string        `xml:"loan_ref"`
	LoanPeriod       string        `xml:"loan_period"`
	TotalBalance     string        `xml:"total_balance"`
	Repaid           string        `xml:"repaid"`
	RemainingBalance string        `xml:"remaining_balance"`
	ClientPIN        string        `xml:"client_pin"`
	ClientName       string        `xml:"client_name"`
	Installments     []Installment `xml:"installment_table>installment"`
}

// Installment is one row of the installment table; ToBePaid is 0 once it is covered.
type Installment struct {
	Number   string `xml:"number"`
	DueDate  string `xml:"due_date"`
	Total    string `xml:"total"`
	ToBePaid string `xml:"to_be_paid"`
}

// CashRelease answers allow cash release.
type CashRelease struct {
	XMLName         xml.Name `xml:"loan"`
	Allowed         string   `xml:"allowed"`
	LoanStatus      string   `xml:"loan_status"`
	LoanRef         string   `xml:"loan_ref"`
	LoanAmount      string   `xml:"loan_amount"`
	ClientPIN       string   `xml:"client_pin"`
	ClientFirstName string   `xml:"client_first_name"`
	ClientLastName  string   `xml:"client_last_name"`
}

// EncodeXML renders an answer as the samples print it: the declaration, two-space indentation, a final
// newline.
func EncodeXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(XMLDeclaration + "\n")
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
