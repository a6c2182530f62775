package sim

import (
	"bytes"
	"fmt"

	"github.com/go-pdf/fpdf"

	"github.com/loanflow/loanflow/internal/iutewire"
)

// agreementPDF renders the specific agreement of a loan: enough content for a person (or a test) to see
// it belongs to this loan and language.
func agreementPDF(l Loan, lang string) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetTitle(fmt.Sprintf("Specific agreement %d", l.Ref), true)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(0, 10, tr(fmt.Sprintf("Iute Credit - specific agreement no. %d (%s)", l.Ref, lang)), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	lines := []string{
		fmt.Sprintf("Client: %s %s, PIN %s", l.Application.FirstName, l.Application.LastName, l.Application.PIN),
		fmt.Sprintf("Loan amount: %s, period: %d months", l.Application.LoanAmount.StringFixed(2), l.Application.LoanDuration),
		fmt.Sprintf("Total repayable: %s", l.TotalBalance.StringFixed(2)),
	}
	for _, in := range l.Installments {
		lines = append(lines, fmt.Sprintf("Installment %d due %s: %s", in.Number, in.DueDate.Format(iutewire.DateLayout), in.Total.StringFixed(2)))
	}
	lines = append(lines, "", "Signature of the client: ______________________")
	for _, line := range lines {
		pdf.CellFormat(0, 7, tr(line), "", 1, "L", false, 0, "")
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
