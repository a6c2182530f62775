package lending

import (
	"regexp"
	"time"

	"github.com/shopspring/decimal"
)

// ReasonCode says why the auto-reject rules refused an application.
type ReasonCode = string

// Auto-reject reason codes.
const (
	ReasonUnderAge           ReasonCode = "UNDER_AGE"
	ReasonOverAgeAtMaturity  ReasonCode = "OVER_MAX_AGE_AT_MATURITY"
	ReasonAmountOutOfRange   ReasonCode = "AMOUNT_OUT_OF_RANGE"
	ReasonTermOutOfRange     ReasonCode = "TERM_OUT_OF_RANGE"
	ReasonInvalidIdentity    ReasonCode = "INVALID_IDENTITY_NUMBER"
	ReasonInvalidMobilePhone ReasonCode = "INVALID_MOBILE_PHONE"
	ReasonInvalidHomePhone   ReasonCode = "INVALID_HOME_PHONE"
	ReasonInvalidAltPhone    ReasonCode = "INVALID_ALT_CONTACT_PHONE"
	ReasonTooManyOpenLoans   ReasonCode = "TOO_MANY_OPEN_LOANS"
)

// The formats of the Iute Partner API: an identity number is a personal
// code (13 digits, as Moldova's IDNP) or a letter, eight digits and a letter
// (the documents' own sample); a mobile number is 0 and nine digits, a home
// number 0 and eight.
var (
	identityPattern = regexp.MustCompile(`^([0-9]{13}|[A-Z][0-9]{8}[A-Z])$`)
	mobilePattern   = regexp.MustCompile(`^0[0-9]{9}$`)
	homePattern     = regexp.MustCompile(`^0[0-9]{8}$`)
)

// Application is what the auto-reject rules look at.
type Application struct {
	Product         Product
	Amount          decimal.Decimal
	TermMonths      int
	IdentityNumber  string
	BirthDate       time.Time
	MobilePhone     string
	HomePhone       string
	AltContactPhone string
	SubmittedAt     time.Time
}

// Screen applies the auto-reject rules to an application whose applicant
// has openLoans other open loans of the same product, and answers their
// reason codes: none when the application goes on to a decision.
func Screen(in Application, openLoans int64) []ReasonCode {
	codes := []ReasonCode{}
	submitted := Day(in.SubmittedAt)
	if ageOn(in.BirthDate, submitted) < max(in.Product.MinAge, 18) {
		codes = append(codes, ReasonUnderAge)
	}
	maturity := submitted.AddDate(0, in.TermMonths, 0)
	if in.Product.MaxAgeAtMaturity > 0 && ageOn(in.BirthDate, maturity) > in.Product.MaxAgeAtMaturity {
		codes = append(codes, ReasonOverAgeAtMaturity)
	}
	if in.Amount.LessThan(in.Product.MinAmount) || in.Amount.GreaterThan(in.Product.MaxAmount) {
		codes = append(codes, ReasonAmountOutOfRange)
	}
	if !in.Product.TermAllowed(in.TermMonths) {
		codes = append(codes, ReasonTermOutOfRange)
	}
	if !identityPattern.MatchString(in.IdentityNumber) {
		codes = append(codes, ReasonInvalidIdentity)
	}
	if !mobilePattern.MatchString(in.MobilePhone) {
		codes = append(codes, ReasonInvalidMobilePhone)
	}
	if in.HomePhone != "" && !homePattern.MatchString(in.HomePhone) {
		codes = append(codes, ReasonInvalidHomePhone)
	}
	if in.AltContactPhone != "" && !mobilePattern.MatchString(in.AltContactPhone) {
		codes = append(codes, ReasonInvalidAltPhone)
	}
	if in.Product.MaxOpenLoans > 0 && openLoans >= int64(in.Product.MaxOpenLoans) {
		codes = append(codes, ReasonTooManyOpenLoans)
	}
	return codes
}

// ageOn is the age in completed years on the given day.
func ageOn(birth, on time.Time) int {
	birth = Day(birth)
	years := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		years--
	}
	return years
}
