package iutefacade

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/lending"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestTypicalLoanProcess walks the document's 13 steps through the façade
// alone, with the Iute employee's steps in the back office, on the real
// workflow: the loan ends repaid and CLOSED.
func TestTypicalLoanProcess(t *testing.T) {
	e := newEnv(t)
	c := &demo

	// 1. Loan conditions and monthly payment are calculated.
	calc := xmlOK(t, e.postForm(c, pathCalc, url.Values{"loan_amount": {"2000"}, "loan_duration": {"6"}, "partner_type": {"post"}}))
	require.Equal(t, "loan_calc(first_repayment_date,monthly_payment,total_loan_amount)", calc.shape())
	quoted := calc.values()
	require.Equal(t, "26.07.2018", quoted["first_repayment_date"])

	// 2. The application is submitted, with the optional files.
	jpg, pdf := jpegFile(t), pdfFile()
	parts := append(application("I12356789T", "John", "Smith"),
		part{name: "id_copy", filename: "id_doc.jpg", data: jpg},
		part{name: "data_verification", filename: "data_ver.pdf", data: pdf})
	added := xmlOK(t, e.postMultipart(c, pathNewLoan, parts))
	require.Equal(t, "loan(loan_ref,loan_period,first_repayment_date,client_pin,client_name)", added.shape())
	v := added.values()
	require.Equal(t, "90000", v["loan_ref"])
	require.Equal(t, "6", v["loan_period"])
	require.Equal(t, quoted["first_repayment_date"], v["first_repayment_date"])
	require.Equal(t, "I12356789T", v["client_pin"])
	require.Equal(t, "John Smith", v["client_name"])
	const ref = int64(90000)
	docs := e.loan(ref)["documents"].([]any)
	require.Len(t, docs, 2)
	require.Equal(t, string(lending.DocIDCopy), docs[0].(map[string]any)["kind"])
	require.Equal(t, "image/jpeg", docs[0].(map[string]any)["content_type"])
	require.Equal(t, string(lending.DocDataVerification), docs[1].(map[string]any)["kind"])
	require.Equal(t, "application/pdf", docs[1].(map[string]any)["content_type"])

	// 3. The application passed the auto-reject rules: it awaits a decision.
	status := func() *node {
		return xmlOK(t, e.postForm(c, pathStatus, url.Values{"loan_ref": {"90000"}, "partner_type": {"post"}}))
	}
	require.Equal(t, "false", status().child(t, "approved").text)
	// Nothing to pay out yet, and no loan to show.
	allow := xmlOK(t, e.get(c, pathAllow, refQuery(ref))).values()
	require.Equal(t, "false", allow["allowed"])
	require.Equal(t, "new", allow["loan_status"])
	info := xmlOK(t, e.get(c, pathInfo, refQuery(ref)))
	require.Equal(t, "loan_response(message,status)", info.shape())
	require.Equal(t, "No active loan found!", info.child(t, "message").text)

	// 4. An Iute employee approves the loan.
	e.approve(ref)

	// 5. The partner sees the approval.
	st := status()
	require.Equal(t, "loan(approved,loan_ref)", st.shape())
	require.Equal(t, "true", st.child(t, "approved").text)
	require.Equal(t, "90000", st.child(t, "loan_ref").text)

	// 6. The agreement is generated.
	q := refQuery(ref)
	q.Set("lang", "eng")
	agr := e.get(c, pathAgreement, q)
	require.Equal(t, http.StatusOK, agr.Code, agr.Body.String())
	require.Equal(t, iutewire.ContentTypePDF, agr.Header().Get("Content-Type"))
	require.Equal(t, "attachment;filename=specific_agreement_90000_eng.pdf", agr.Header().Get("Content-Disposition"))
	require.True(t, bytes.HasPrefix(agr.Body.Bytes(), []byte("%PDF-")))

	// 7–8. The client signs it; the signed agreement and the bank statement
	// are uploaded.
	upload := []part{
		{name: "loan_ref", value: "90000"},
		{name: "loan_agreement", filename: "signed.pdf", data: agr.Body.Bytes()},
		{name: "bank_statement", filename: "statement.jpg", data: jpg},
		{name: "partner_type", value: "post"},
	}
	emptyOK(t, e.postMultipart(c, pathUpload, upload))
	require.Equal(t, lending.StatusDocumentsSubmitted, e.status(ref))
	// The application has moved on from the approval step.
	htmlError(t, e.postForm(c, pathStatus, url.Values{"loan_ref": {"90000"}, "partner_type": {"post"}}), http.StatusBadRequest)
	// Sending the same files again (a retry) changes nothing.
	emptyOK(t, e.postMultipart(c, pathUpload, upload))
	require.Len(t, e.loan(ref)["documents"].([]any), 4)
	allow = xmlOK(t, e.get(c, pathAllow, refQuery(ref))).values()
	require.Equal(t, "false", allow["allowed"])
	require.Equal(t, "documents_submitted", allow["loan_status"])
	// Paying out before the release is authorized is refused.
	htmlError(t, e.get(c, pathConfirm, refQuery(ref)), http.StatusBadRequest)

	// 9. An Iute employee checks the files and authorizes the cash release.
	e.authorize(ref)

	// 10. The partner checks that the cash release is allowed.
	cr := xmlOK(t, e.get(c, pathAllow, refQuery(ref)))
	require.Equal(t, "loan(allowed,loan_status,loan_ref,loan_amount,client_pin,client_first_name,client_last_name)", cr.shape())
	require.Equal(t, map[string]string{
		"allowed": "true", "loan_status": "normal", "loan_ref": "90000", "loan_amount": "2000.0",
		"client_pin": "I12356789T", "client_first_name": "John", "client_last_name": "Smith",
	}, cr.values())

	// 11–12. The money is paid out and the pay-out confirmed; a retried
	// confirmation is harmless.
	emptyOK(t, e.get(c, pathConfirm, refQuery(ref)))
	emptyOK(t, e.get(c, pathConfirm, refQuery(ref)))
	require.Equal(t, lending.StatusActive, e.status(ref))

	info = xmlOK(t, e.get(c, pathInfo, refQuery(ref)))
	require.Equal(t, "loan_response(message,status,loan(loan_ref,loan_period,total_balance,repaid,remaining_balance,client_pin,client_name,installment_table("+
		"installment(number,due_date,total,to_be_paid),installment(number,due_date,total,to_be_paid),installment(number,due_date,total,to_be_paid),"+
		"installment(number,due_date,total,to_be_paid),installment(number,due_date,total,to_be_paid),installment(number,due_date,total,to_be_paid))))", info.shape())
	require.Equal(t, "success", info.child(t, "message").text)
	require.Equal(t, "0", info.child(t, "status").text)
	loan := info.child(t, "loan")
	require.Equal(t, "0.0", loan.child(t, "repaid").text)
	require.Equal(t, loan.child(t, "total_balance").text, loan.child(t, "remaining_balance").text)
	rows := loan.child(t, "installment_table").children
	require.Equal(t, "26.07.2018", rows[0].child(t, "due_date").text)
	require.Equal(t, "26.12.2018", rows[5].child(t, "due_date").text)

	// 13. Repayments are reported, one per installment, whatever their date;
	// they cover installments in order.
	total := decimal.RequireFromString(loan.child(t, "total_balance").text)
	paid := decimal.Zero
	var last url.Values
	for i, row := range rows {
		amount := row.child(t, "total").text
		date := fmt.Sprintf("%02d062018", 20+i)
		last = url.Values{"loanRef": {"90000"}, "date": {date}, "amount": {amount}, "partner_type": {"post"}}
		emptyOK(t, e.get(c, pathRepayment, last))
		paid = paid.Add(decimal.RequireFromString(amount))
		after := xmlOK(t, e.get(c, pathInfo, refQuery(ref))).child(t, "loan")
		require.Equal(t, iutewire.FormatAmount(paid), after.child(t, "repaid").text)
		require.Equal(t, iutewire.FormatAmount(total.Sub(paid)), after.child(t, "remaining_balance").text)
		for j, r := range after.child(t, "installment_table").children {
			want := r.child(t, "total").text
			if j <= i {
				want = "0.0"
			}
			require.Equal(t, want, r.child(t, "to_be_paid").text, "installment %d after repayment %d", j+1, i+1)
		}
	}
	require.True(t, paid.Equal(total))
	require.Equal(t, lending.StatusClosed, e.status(ref))
	require.Equal(t, string(lending.StatusClosed), e.loan(ref)["status"])

	// Retries of the last repayment and of the pay-out confirmation still
	// succeed, though the loan's workflow has ended.
	emptyOK(t, e.get(c, pathRepayment, last))
	emptyOK(t, e.get(c, pathConfirm, refQuery(ref)))

	// The closed loan still shows, fully repaid; nothing more can be paid.
	final := xmlOK(t, e.get(c, pathInfo, refQuery(ref))).child(t, "loan")
	require.Equal(t, "0.0", final.child(t, "remaining_balance").text)
	htmlError(t, e.get(c, pathRepayment, url.Values{"loanRef": {"90000"}, "date": {"01072018"}, "amount": {"10"}, "partner_type": {"post"}}), http.StatusBadRequest)
}
