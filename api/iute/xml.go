package iute

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"
)

// xmlDeclaration opens every XML answer, as in the document's samples.
const xmlDeclaration = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`

// Content types of the answers.
const (
	xmlContentType  = "application/xml;charset=UTF-8"
	pdfContentType  = "application/pdf;charset=UTF-8"
	htmlContentType = "text/html;charset=UTF-8"
)

// loanCalc answers calculate loan conditions.
type loanCalc struct {
	XMLName            xml.Name `xml:"loan_calc"`
	FirstRepaymentDate string   `xml:"first_repayment_date"`
	MonthlyPayment     string   `xml:"monthly_payment"`
	TotalLoanAmount    string   `xml:"total_loan_amount"`
}

// newLoan answers add new loan. A loan whose terms are outside its
// product's ranges is never priced: it has no first repayment date, and
// the element is left out as a null field is.
type newLoan struct {
	XMLName            xml.Name `xml:"loan"`
	LoanRef            int64    `xml:"loan_ref"`
	LoanPeriod         int      `xml:"loan_period"`
	FirstRepaymentDate string   `xml:"first_repayment_date,omitempty"`
	ClientPin          string   `xml:"client_pin"`
	ClientName         string   `xml:"client_name"`
}

// loanStatus answers check loan status.
type loanStatus struct {
	XMLName  xml.Name `xml:"loan"`
	Approved string   `xml:"approved"`
	LoanRef  int64    `xml:"loan_ref"`
}

// loanResponse answers check loan info; Loan is nil with status -1.
type loanResponse struct {
	XMLName xml.Name  `xml:"loan_response"`
	Message string    `xml:"message"`
	Status  int       `xml:"status"`
	Loan    *loanInfo `xml:"loan,omitempty"`
}

type loanInfo struct {
	LoanRef          int64         `xml:"loan_ref"`
	LoanPeriod       int           `xml:"loan_period"`
	TotalBalance     string        `xml:"total_balance"`
	Repaid           string        `xml:"repaid"`
	RemainingBalance string        `xml:"remaining_balance"`
	ClientPin        string        `xml:"client_pin"`
	ClientName       string        `xml:"client_name"`
	Installments     []installment `xml:"installment_table>installment"`
}

type installment struct {
	Number   int    `xml:"number"`
	DueDate  string `xml:"due_date"`
	Total    string `xml:"total"`
	ToBePaid string `xml:"to_be_paid"`
}

// cashRelease answers allow cash release.
type cashRelease struct {
	XMLName         xml.Name `xml:"loan"`
	Allowed         bool     `xml:"allowed"`
	LoanStatus      string   `xml:"loan_status"`
	LoanRef         int64    `xml:"loan_ref"`
	LoanAmount      string   `xml:"loan_amount"`
	ClientPin       string   `xml:"client_pin"`
	ClientFirstName string   `xml:"client_first_name"`
	ClientLastName  string   `xml:"client_last_name"`
}

// encodeXML renders v with the declaration and two-space indentation.
func encodeXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xmlDeclaration + "\n")
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// writeXML answers 200 with v.
func (h *handlers) writeXML(c *gin.Context, v any) {
	body, err := encodeXML(v)
	if err != nil {
		// The types above hold strings and numbers only.
		h.fail(c, err, nil)
		return
	}
	c.Data(http.StatusOK, xmlContentType, body)
}

// number writes an amount the way the document's samples do, which is how
// Java prints a double: no trailing zeros, but at least one decimal
// ("5000.0", "5478.4", "0.0", "1095.68"). Unlike a double it stays exact
// and never switches to exponent notation.
func number(d decimal.Decimal) string {
	s := d.String()
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// formatDate writes dd.MM.yyyy.
func formatDate(t time.Time) string { return t.UTC().Format(dateLayout) }
