package iute

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Date layouts of the API: dd.MM.yyyy everywhere except insert repayment's ddMMyyyy.
const (
	DateLayout          = "02.01.2006"
	RepaymentDateLayout = "02012006"
)

// The wire structs mirror Iute's XML element names; values stay strings until parse so one malformed
// field produces a precise error instead of a silent zero.

type loanCalcXML struct {
	XMLName            xml.Name `xml:"loan_calc"`
	FirstRepaymentDate string   `xml:"first_repayment_date"`
	MonthlyPayment     string   `xml:"monthly_payment"`
	TotalLoanAmount    string   `xml:"total_loan_amount"`
}

type newLoanXML struct {
	XMLName            xml.Name `xml:"loan"`
	LoanRef            string   `xml:"loan_ref"`
	LoanPeriod         string   `xml:"loan_period"`
	FirstRepaymentDate string   `xml:"first_repayment_date"`
	ClientPIN          string   `xml:"client_pin"`
	ClientName         string   `xml:"client_name"`
}

type statusXML struct {
	XMLName  xml.Name `xml:"loan"`
	Approved string   `xml:"approved"`
	LoanRef  string   `xml:"loan_ref"`
}

type cashReleaseXML struct {
	XMLName         xml.Name `xml:"loan"`
	Allowed         string   `xml:"allowed"`
	LoanStatus      string   `xml:"loan_status"`
	LoanRef         string   `xml:"loan_ref"`
	LoanAmount      string   `xml:"loan_amount"`
	ClientPIN       string   `xml:"client_pin"`
	ClientFirstName string   `xml:"client_first_name"`
	ClientLastName  string   `xml:"client_last_name"`
}

type loanResponseXML struct {
	XMLName xml.Name     `xml:"loan_response"`
	Message string       `xml:"message"`
	Status  string       `xml:"status"`
	Loan    *loanInfoXML `xml:"loan"`
}

type loanInfoXML struct {
	LoanRef          string           `xml:"loan_ref"`
	LoanPeriod       string           `xml:"loan_period"`
	TotalBalance     string           `xml:"total_balance"`
	Repaid           string           `xml:"repaid"`
	RemainingBalance string           `xml:"remaining_balance"`
	ClientPIN        string           `xml:"client_pin"`
	ClientName       string           `xml:"client_name"`
	Installments     []installmentXML `xml:"installment_table>installment"`
}

type installmentXML struct {
	Number   string `xml:"number"`
	DueDate  string `xml:"due_date"`
	Total    string `xml:"total"`
	ToBePaid string `xml:"to_be_paid"`
}

// fields parses XML text values, remembering the first failure with the element it came from.
type fields struct{ err error }

func (f *fields) fail(name, value string, err error) {
	if f.err == nil {
		f.err = fmt.Errorf("element <%s> = %q: %v", name, value, err)
	}
}

func (f *fields) decimal(name, v string) decimal.Decimal {
	d, err := decimal.NewFromString(strings.TrimSpace(v))
	if err != nil {
		f.fail(name, v, err)
	}
	return d
}

func (f *fields) int(name, v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		f.fail(name, v, err)
	}
	return n
}

func (f *fields) int64(name, v string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		f.fail(name, v, err)
	}
	return n
}

func (f *fields) date(name, v string) time.Time {
	t, err := time.Parse(DateLayout, strings.TrimSpace(v))
	if err != nil {
		f.fail(name, v, err)
	}
	return t
}

func (f *fields) bool(name, v string) bool {
	b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(v)))
	if err != nil {
		f.fail(name, v, err)
	}
	return b
}
