package console

import (
	"fmt"
	"strings"
	"time"

	"github.com/loanflow/loanflow/lending"
	"github.com/shopspring/decimal"
)

// Formatting for people: money grouped in thousands at the currency's
// scale, dates as "10 Mar 2025", durations as "2 d 4 h".

// formatMoney renders d at scale with thousands separators: 12,345.67.
func formatMoney(d decimal.Decimal, scale int32) string { return lending.FormatMoney(d, scale) }

// formatPercent renders a rate in percent: "36 %", "2.5 %".
func formatPercent(d decimal.Decimal) string { return d.String() + " %" }

// formatDay renders a calendar date (stored at UTC midnight).
func formatDay(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2 Jan 2006")
}

// formatInstant renders a moment in the console's time zone.
func (c *console) formatInstant(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(c.o.Location).Format("2 Jan 2006, 15:04")
}

// formatDuration renders a span coarsely, to the two largest units:
// "3 d 4 h", "5 h 12 min", "7 min", "under a minute".
func formatDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	days := int(d / (24 * time.Hour))
	hours := int(d % (24 * time.Hour) / time.Hour)
	mins := int(d % time.Hour / time.Minute)
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%d d %d h", days, hours)
	case days > 0:
		return fmt.Sprintf("%d d", days)
	case hours > 0 && mins > 0:
		return fmt.Sprintf("%d h %d min", hours, mins)
	case hours > 0:
		return fmt.Sprintf("%d h", hours)
	case mins > 0:
		return fmt.Sprintf("%d min", mins)
	}
	return "under a minute"
}

// formatBytes renders a file size: "840 B", "12.4 KB", "3.1 MB".
func formatBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1000/1000)
}

// age in whole years on the given day.
func age(birth, on time.Time) int {
	y := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		y--
	}
	return y
}

// statusTexts are what the console says of a loan in each status: the
// badge's label and what the loan is waiting for.
var statusTexts = map[lending.Status]struct{ label, next string }{
	lending.StatusSubmitted:             {"Submitted", "Waiting for an underwriter's decision."},
	lending.StatusAutoRejected:          {"Auto-rejected", "Rejected automatically at submission; nothing more happens."},
	lending.StatusApproved:              {"Approved", "Approved; waiting for the partner to upload the signed agreement and the bank statement."},
	lending.StatusRejected:              {"Rejected", "Rejected by an underwriter; nothing more happens."},
	lending.StatusCancelled:             {"Cancelled", "Cancelled by the partner; nothing more happens."},
	lending.StatusExpired:               {"Expired", "Expired: no one acted within the deadline."},
	lending.StatusDocumentsSubmitted:    {"Documents submitted", "Documents submitted; waiting for operations to review them and authorize the cash release."},
	lending.StatusCashReleaseAuthorized: {"Cash release authorized", "Cash release authorized; waiting for the partner to confirm the pay-out."},
	lending.StatusActive:                {"Active", "Paid out and being repaid."},
	lending.StatusInArrears:             {"In arrears", "Paid out; an installment is overdue."},
	lending.StatusClosed:                {"Closed", "Fully repaid."},
	lending.StatusWrittenOff:            {"Written off", "Written off."},
}

func statusLabel(s lending.Status) string {
	if t, ok := statusTexts[s]; ok {
		return t.label
	}
	return string(s)
}

// statusTone groups statuses by what they ask of staff, for the badge
// colour.
func statusTone(s lending.Status) string {
	switch s {
	case lending.StatusSubmitted, lending.StatusDocumentsSubmitted:
		return "todo"
	case lending.StatusApproved, lending.StatusCashReleaseAuthorized:
		return "waiting"
	case lending.StatusActive, lending.StatusClosed:
		return "good"
	case lending.StatusInArrears, lending.StatusWrittenOff:
		return "bad"
	}
	return "ended"
}

func roleLabel(r lending.Role) string {
	switch r {
	case lending.RoleUnderwriter:
		return "underwriter"
	case lending.RoleOperations:
		return "operations"
	case lending.RoleAdmin:
		return "admin"
	}
	return string(r)
}

// reasonTexts explain the auto-reject reason codes.
var reasonTexts = map[string]string{
	lending.ReasonUnderAge:           "The applicant is younger than the product's minimum age.",
	lending.ReasonOverAgeAtMaturity:  "The applicant would be older than the product's maximum age when the loan ends.",
	lending.ReasonAmountOutOfRange:   "The amount is outside the product's range.",
	lending.ReasonTermOutOfRange:     "The term is outside the product's range.",
	lending.ReasonInvalidIdentity:    "The identity number is malformed.",
	lending.ReasonInvalidMobilePhone: "The mobile phone number is malformed.",
	lending.ReasonInvalidHomePhone:   "The home phone number is malformed.",
	lending.ReasonInvalidAltPhone:    "The alternative contact's phone number is malformed.",
	lending.ReasonTooManyOpenLoans:   "The applicant already holds the product's maximum number of open loans.",
}

var documentKindLabels = map[lending.DocumentKind]string{
	lending.DocSignedAgreement:  "Signed agreement",
	lending.DocBankStatement:    "Bank statement",
	lending.DocIDCopy:           "Identity document copy",
	lending.DocDataVerification: "Data verification",
}

func documentKindLabel(k lending.DocumentKind) string {
	if l, ok := documentKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// actorName shows "staff:alice" as "alice", "partner:demo" as "partner demo".
func actorName(actor lending.Actor) string {
	kind, name, ok := strings.Cut(string(actor), ":")
	switch {
	case !ok:
		return string(actor)
	case kind == "staff":
		return name
	}
	return kind + " " + name
}
