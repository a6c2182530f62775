package sim

import (
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"strings"
)

// writeError answers like Iute's CRM does: an HTML page listing the errors, with 400 for refusals and
// 403 for authentication problems.
func writeError(w http.ResponseWriter, status int, msgs ...string) {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html><head><title>Error %d</title></head><body>\n<h1>%s</h1>\n<ul>\n",
		status, html.EscapeString(http.StatusText(status)))
	for _, m := range msgs {
		fmt.Fprintf(&b, "<li>%s</li>\n", html.EscapeString(m))
	}
	b.WriteString("</ul>\n</body></html>\n")
	w.Header().Set("Content-Type", "text/html;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

// writeXML answers 200 with v under Iute's standalone XML declaration.
func writeXML(w http.ResponseWriter, v any) {
	body, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/xml;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"))
	_, _ = w.Write(body)
}

// The answer documents, with Iute's element names.

type loanCalc struct {
	XMLName            xml.Name `xml:"loan_calc"`
	FirstRepaymentDate string   `xml:"first_repayment_date"`
	MonthlyPayment     string   `xml:"monthly_payment"`
	TotalLoanAmount    string   `xml:"total_loan_amount"`
}

type newLoan struct {
	XMLName            xml.Name `xml:"loan"`
	LoanRef            int64    `xml:"loan_ref"`
	LoanPeriod         int      `xml:"loan_period"`
	FirstRepaymentDate string   `xml:"first_repayment_date"`
	ClientPIN          string   `xml:"client_pin"`
	ClientName         string   `xml:"client_name"`
}

type loanStatus struct {
	XMLName  xml.Name `xml:"loan"`
	Approved string   `xml:"approved"`
	LoanRef  int64    `xml:"loan_ref"`
}

type cashRelease struct {
	XMLName         xml.Name `xml:"loan"`
	Allowed         bool     `xml:"allowed"`
	LoanStatus      string   `xml:"loan_status"`
	LoanRef         int64    `xml:"loan_ref"`
	LoanAmount      string   `xml:"loan_amount"`
	ClientPIN       string   `xml:"client_pin"`
	ClientFirstName string   `xml:"client_first_name"`
	ClientLastName  string   `xml:"client_last_name"`
}

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
	ClientPIN        string        `xml:"client_pin"`
	ClientName       string        `xml:"client_name"`
	Installments     []installment `xml:"installment_table>installment"`
}

type installment struct {
	Number   int    `xml:"number"`
	DueDate  string `xml:"due_date"`
	Total    string `xml:"total"`
	ToBePaid string `xml:"to_be_paid"`
}
