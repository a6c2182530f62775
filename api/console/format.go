package console

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/models"
)

// Formatting for people: money grouped in thousands at the currency's
// scale, dates as "10 Mar 2025", durations as "2 d 4 h".

// formatMoney renders d at scale with thousands separators: 12,345.67.
func formatMoney(d decimal.Decimal, scale int32) string {
	s := d.StringFixed(scale)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return sign + b.String()
}

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

var statusLabels = map[string]string{
	models.StatusSubmitted:             "Submitted",
	models.StatusAutoRejected:          "Auto-rejected",
	models.StatusApproved:              "Approved",
	models.StatusRejected:              "Rejected",
	models.StatusCancelled:             "Cancelled",
	models.StatusExpired:               "Expired",
	models.StatusDocumentsSubmitted:    "Documents submitted",
	models.StatusCashReleaseAuthorized: "Cash release authorized",
	models.StatusActive:                "Active",
	models.StatusInArrears:             "In arrears",
	models.StatusClosed:                "Closed",
	models.StatusWrittenOff:            "Written off",
}

// allStatuses in the order of a loan's life, for the status filter.
var allStatuses = []string{
	models.StatusSubmitted, models.StatusAutoRejected, models.StatusRejected, models.StatusApproved,
	models.StatusDocumentsSubmitted, models.StatusCashReleaseAuthorized, models.StatusActive,
	models.StatusInArrears, models.StatusClosed, models.StatusCancelled, models.StatusExpired,
	models.StatusWrittenOff,
}

func statusLabel(s string) string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return s
}

// statusTone groups statuses by what they ask of staff, for the badge
// colour.
func statusTone(s string) string {
	switch s {
	case models.StatusSubmitted, models.StatusDocumentsSubmitted:
		return "todo"
	case models.StatusApproved, models.StatusCashReleaseAuthorized:
		return "waiting"
	case models.StatusActive, models.StatusClosed:
		return "good"
	case models.StatusInArrears, models.StatusWrittenOff:
		return "bad"
	}
	return "ended"
}

// nextStep says what a loan in a status is waiting for.
var nextStep = map[string]string{
	models.StatusSubmitted:             "Waiting for an underwriter's decision.",
	models.StatusAutoRejected:          "Rejected automatically at submission; nothing more happens.",
	models.StatusApproved:              "Approved; waiting for the partner to upload the signed agreement and the bank statement.",
	models.StatusRejected:              "Rejected by an underwriter; nothing more happens.",
	models.StatusCancelled:             "Cancelled by the partner; nothing more happens.",
	models.StatusExpired:               "Expired: no one acted within the deadline.",
	models.StatusDocumentsSubmitted:    "Documents submitted; waiting for operations to review them and authorize the cash release.",
	models.StatusCashReleaseAuthorized: "Cash release authorized; waiting for the partner to confirm the pay-out.",
	models.StatusActive:                "Paid out and being repaid.",
	models.StatusInArrears:             "Paid out; an installment is overdue.",
	models.StatusClosed:                "Fully repaid.",
	models.StatusWrittenOff:            "Written off.",
}

func roleLabel(r string) string {
	switch r {
	case models.RoleUnderwriter:
		return "underwriter"
	case models.RoleOperations:
		return "operations"
	case models.RoleAdmin:
		return "admin"
	}
	return r
}

// reasonTexts explain the auto-reject reason codes (activities.Reason*).
var reasonTexts = map[string]string{
	"UNDER_AGE":                 "The applicant is younger than the product's minimum age.",
	"OVER_MAX_AGE_AT_MATURITY":  "The applicant would be older than the product's maximum age when the loan ends.",
	"AMOUNT_OUT_OF_RANGE":       "The amount is outside the product's range.",
	"TERM_OUT_OF_RANGE":         "The term is outside the product's range.",
	"INVALID_IDENTITY_NUMBER":   "The identity number is malformed.",
	"INVALID_MOBILE_PHONE":      "The mobile phone number is malformed.",
	"INVALID_HOME_PHONE":        "The home phone number is malformed.",
	"INVALID_ALT_CONTACT_PHONE": "The alternative contact's phone number is malformed.",
	"TOO_MANY_OPEN_LOANS":       "The applicant already holds the product's maximum number of open loans.",
}

var documentKindLabels = map[string]string{
	models.DocSignedAgreement:  "Signed agreement",
	models.DocBankStatement:    "Bank statement",
	models.DocIDCopy:           "Identity document copy",
	models.DocDataVerification: "Data verification",
}

func documentKindLabel(k string) string {
	if l, ok := documentKindLabels[k]; ok {
		return l
	}
	return k
}

// actorName shows "staff:alice" as "alice", "partner:demo" as "partner demo".
func actorName(actor string) string {
	kind, name, ok := strings.Cut(actor, ":")
	switch {
	case !ok:
		return actor
	case kind == "staff":
		return name
	}
	return kind + " " + name
}
