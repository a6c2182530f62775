package agreement

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
	"github.com/shopspring/decimal"
)

// Page geometry in millimetres (A4 portrait) and type sizes in points.
const (
	pageHeight   = 297.0
	marginX      = 15.0
	marginTop    = 15.0
	marginBottom = 18.0
	contentWidth = 210.0 - 2*marginX

	bodySize    = 9.0
	smallSize   = 7.5
	lineHeight  = 4.4
	cellPadding = 1.0

	// pageCountAlias is replaced by fpdf with the number of pages when the
	// document is closed.
	pageCountAlias = "{nb}"
)

// scheduleWidths are the schedule table's columns: number, due date,
// principal, interest, fees, total.
var scheduleWidths = [6]float64{12, 32, 34, 34, 34, 34}

type renderer struct {
	pdf  *fpdf.Fpdf
	l    *language
	a    Agreement
	fill *strings.Replacer
}

func newRenderer(l *language, a Agreement) *renderer {
	return &renderer{l: l, a: a, fill: placeholders(l, a)}
}

func (r *renderer) text(template string) string { return r.fill.Replace(template) }

func (r *renderer) render() ([]byte, error) {
	p := fpdf.New("P", "mm", "A4", "")
	r.pdf = p
	// Fixed dates and sorted catalogs make the output a function of the
	// agreement alone.
	p.SetCatalogSort(true)
	p.SetCreationDate(r.a.Date)
	p.SetModificationDate(r.a.Date)
	p.AddUTF8FontFromBytes(fontFamily, "", regularFont)
	p.AddUTF8FontFromBytes(fontFamily, "B", boldFont)
	p.SetTitle(r.text(r.l.title), true)
	p.SetAuthor(r.a.Lender, true)
	p.SetCreator("loanflow", false)
	p.SetLang(r.l.tag)
	p.SetMargins(marginX, marginTop, marginX)
	p.SetAutoPageBreak(true, marginBottom)
	p.AliasNbPages(pageCountAlias)
	p.SetFooterFunc(r.footer)
	p.AddPage()

	r.title()
	r.parties()
	r.mainTerms()
	r.clauses()
	r.schedule()
	r.signatures()

	var out bytes.Buffer
	if err := p.Output(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func (r *renderer) font(style string, size float64) { r.pdf.SetFont(fontFamily, style, size) }

// ensureSpace starts a new page unless h millimetres still fit on this one.
func (r *renderer) ensureSpace(h float64) {
	if r.pdf.GetY()+h > pageHeight-marginBottom {
		r.pdf.AddPage()
	}
}

func (r *renderer) title() {
	p := r.pdf
	r.font("B", 14)
	p.MultiCell(contentWidth, 7, r.text(r.l.title), "", "C", false)
	p.Ln(3)
	r.keyValues([][2]string{
		{r.l.placeLabel, r.a.Office},
		{r.l.dateLabel, formatDate(r.a.Date)},
	})
}

func (r *renderer) heading(s string, keepWith float64) {
	r.ensureSpace(10 + keepWith)
	r.pdf.Ln(3)
	r.font("B", 10.5)
	r.pdf.CellFormat(contentWidth, 6, s, "", 1, "L", false, 0, "")
	r.pdf.Ln(1)
}

func (r *renderer) paragraph(s string) {
	r.font("", bodySize)
	r.pdf.MultiCell(contentWidth, lineHeight, s, "", "L", false)
}

func (r *renderer) parties() {
	r.heading(r.l.partiesHeading, 20)
	r.paragraph(r.l.partiesIntro)
	r.pdf.Ln(1)
	rows := [][2]string{
		{r.l.lender, r.a.Lender},
		{r.l.partner, r.a.Partner + ", " + r.a.Office},
		{r.l.borrower, r.a.BorrowerName},
		{r.l.identityNumber, r.a.IdentityNumber},
		{r.l.birthDate, formatDate(r.a.BirthDate)},
		{r.l.address, r.a.Address},
	}
	if strings.TrimSpace(r.a.Phone) != "" {
		rows = append(rows, [2]string{r.l.phone, r.a.Phone})
	}
	r.keyValues(rows)
	r.pdf.Ln(1)
	r.paragraph(r.l.partiesOutro)
}

func (r *renderer) mainTerms() {
	r.heading(r.l.termsHeading, 20)
	r.keyValues([][2]string{
		{r.l.amount, r.text("{amount}")},
		{r.l.currency, r.a.Currency},
		{r.l.term, r.text("{term}")},
		{r.l.rate, r.text("{rate}")},
		{r.l.disbursementFee, r.text("{disbursementFee}")},
		{r.l.monthlyFeeLabel(r.a.Schedule), r.text("{monthlyFee}")},
		{r.l.totalInterest, r.text("{totalInterest}")},
		{r.l.totalFees, r.text("{totalFees}")},
		{r.l.totalRepayable, r.text("{totalRepayable}")},
		{r.l.apr, r.text("{apr}")},
		{r.l.firstRepayment, r.text("{first}")},
	})
}

// keyValues draws a two-column table of labels and values. Heights come from
// the text actually set, so a long address simply makes a taller row.
func (r *renderer) keyValues(rows [][2]string) {
	const labelWidth = 68.0
	const valueWidth = contentWidth - labelWidth
	p := r.pdf
	p.SetDrawColor(180, 180, 180)
	p.SetLineWidth(0.2)
	for _, row := range rows {
		r.font("", bodySize)
		lines := len(p.SplitText(row[0], labelWidth))
		r.font("B", bodySize)
		lines = max(lines, len(p.SplitText(row[1], valueWidth)), 1)
		r.ensureSpace(float64(lines)*lineHeight + 2*cellPadding)

		x, y := p.GetX(), p.GetY()
		p.SetTextColor(80, 80, 80)
		r.font("", bodySize)
		p.SetXY(x, y+cellPadding)
		p.MultiCell(labelWidth, lineHeight, row[0], "", "L", false)
		bottom := p.GetY()
		p.SetTextColor(0, 0, 0)
		r.font("B", bodySize)
		p.SetXY(x+labelWidth, y+cellPadding)
		p.MultiCell(valueWidth, lineHeight, row[1], "", "L", false)
		bottom = max(bottom, p.GetY()) + cellPadding

		p.Line(x, y, x+contentWidth, y)
		p.Line(x, bottom, x+contentWidth, bottom)
		p.SetXY(x, bottom)
	}
}

func (r *renderer) clauses() {
	p := r.pdf
	r.heading(r.l.clausesHeading, 15)
	for i, c := range r.l.clauses {
		r.ensureSpace(2 * lineHeight)
		r.font("B", bodySize)
		p.Write(lineHeight, fmt.Sprintf("3.%d. %s ", i+1, c.title))
		r.font("", bodySize)
		p.Write(lineHeight, r.text(c.body))
		p.Ln(lineHeight + 1.5)
	}
}

func (r *renderer) schedule() {
	const rowHeight = 5.2
	p := r.pdf
	r.heading(r.l.scheduleHeading, r.scheduleHeaderHeight()+3*rowHeight)
	r.scheduleHeader()
	principal, interest, fees, total := decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
	for i, in := range r.a.Installments {
		if p.GetY()+rowHeight > pageHeight-marginBottom {
			p.AddPage()
			r.scheduleHeader()
		}
		r.font("", 8.5)
		p.SetFillColor(246, 246, 246)
		r.scheduleRow(rowHeight, i%2 == 1, strconv.Itoa(in.Number), formatDate(in.DueDate),
			in.Principal, in.Interest, in.Fees, in.Total)
		principal = principal.Add(in.Principal)
		interest = interest.Add(in.Interest)
		fees = fees.Add(in.Fees)
		total = total.Add(in.Total)
	}
	if p.GetY()+rowHeight > pageHeight-marginBottom {
		p.AddPage()
		r.scheduleHeader()
	}
	r.font("B", 8.5)
	p.SetFillColor(225, 225, 225)
	r.scheduleRow(rowHeight, true, "", r.l.totalRow, principal, interest, fees, total)
	p.Ln(1)
	r.font("", smallSize)
	p.MultiCell(contentWidth, 3.6, r.text(r.l.scheduleNote), "", "L", false)
}

func (r *renderer) scheduleRow(h float64, fill bool, number, label string, amounts ...decimal.Decimal) {
	p := r.pdf
	p.SetDrawColor(180, 180, 180)
	p.CellFormat(scheduleWidths[0], h, number, "1", 0, "C", fill, 0, "")
	p.CellFormat(scheduleWidths[1], h, label, "1", 0, "C", fill, 0, "")
	for k, d := range amounts {
		p.CellFormat(scheduleWidths[2+k], h, r.l.numbers.money(d), "1", 0, "R", fill, 0, "")
	}
	p.Ln(h)
}

// scheduleHeaderHeight fits the longest column title, which wraps in some
// languages ("Датум на доспевање").
func (r *renderer) scheduleHeaderHeight() float64 {
	r.font("B", 8)
	lines := 1
	for k, title := range r.l.columns {
		lines = max(lines, len(r.pdf.SplitText(title, scheduleWidths[k])))
	}
	return float64(lines)*3.6 + 2*cellPadding
}

// scheduleHeader draws the column titles; it is repeated at the top of every
// page the table continues on.
func (r *renderer) scheduleHeader() {
	p := r.pdf
	h := r.scheduleHeaderHeight()
	x, y := p.GetX(), p.GetY()
	p.SetFillColor(225, 225, 225)
	p.SetDrawColor(180, 180, 180)
	for k, title := range r.l.columns {
		p.Rect(x, y, scheduleWidths[k], h, "FD")
		lines := len(p.SplitText(title, scheduleWidths[k]))
		p.SetXY(x, y+(h-float64(lines)*3.6)/2)
		p.MultiCell(scheduleWidths[k], 3.6, title, "", "C", false)
		x += scheduleWidths[k]
	}
	p.SetXY(marginX, y+h)
}

func (r *renderer) signatures() {
	const columnWidth = 85.0
	const gap = contentWidth - 2*columnWidth
	p := r.pdf
	r.heading(r.l.signatureHeading, 55)
	r.paragraph(r.l.statement)
	p.Ln(4)

	top := p.GetY()
	column := func(x float64, role, name, detail string) float64 {
		p.SetXY(x, top)
		r.font("B", bodySize)
		p.MultiCell(columnWidth, lineHeight, role, "", "L", false)
		p.SetX(x)
		r.font("", bodySize)
		p.MultiCell(columnWidth, lineHeight, name, "", "L", false)
		p.SetX(x)
		r.font("", smallSize)
		p.MultiCell(columnWidth, 3.6, detail, "", "L", false)
		return p.GetY()
	}
	leftEnd := column(marginX, r.l.lender, r.a.Lender, r.text(r.l.through))
	rightEnd := column(marginX+columnWidth+gap, r.l.borrower, r.a.BorrowerName,
		r.l.identityNumber+": "+r.a.IdentityNumber)

	line := max(leftEnd, rightEnd) + 16
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.3)
	for _, s := range []struct {
		x     float64
		label string
	}{
		{marginX, r.l.signatureStamp},
		{marginX + columnWidth + gap, r.l.signature},
	} {
		p.Line(s.x, line, s.x+columnWidth, line)
		p.SetXY(s.x, line+1)
		r.font("", smallSize)
		p.CellFormat(columnWidth, 3.6, s.label, "", 0, "L", false, 0, "")
	}
	p.SetXY(marginX, line+6)
}

func (r *renderer) footer() {
	p := r.pdf
	p.SetY(-12)
	r.font("", smallSize)
	p.SetTextColor(100, 100, 100)
	p.SetDrawColor(180, 180, 180)
	p.SetLineWidth(0.2)
	text := strings.ReplaceAll(r.text(r.l.footer), "{page}", strconv.Itoa(p.PageNo()))
	p.CellFormat(contentWidth, 5, text, "T", 0, "C", false, 0, "")
	p.SetTextColor(0, 0, 0)
}
