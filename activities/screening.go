package activities

import (
	"context"
	"regexp"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/pricing"
)

// Auto-reject reason codes.
const (
	ReasonUnderAge           = "UNDER_AGE"
	ReasonOverAgeAtMaturity  = "OVER_MAX_AGE_AT_MATURITY"
	ReasonAmountOutOfRange   = "AMOUNT_OUT_OF_RANGE"
	ReasonTermOutOfRange     = "TERM_OUT_OF_RANGE"
	ReasonInvalidIdentity    = "INVALID_IDENTITY_NUMBER"
	ReasonInvalidMobilePhone = "INVALID_MOBILE_PHONE"
	ReasonInvalidHomePhone   = "INVALID_HOME_PHONE"
	ReasonInvalidAltPhone    = "INVALID_ALT_CONTACT_PHONE"
	ReasonTooManyOpenLoans   = "TOO_MANY_OPEN_LOANS"
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

// ScreenInput is what the auto-reject rules look at.
type ScreenInput struct {
	Ref             int64
	Product         pricing.Product
	Amount          decimal.Decimal
	TermMonths      int
	IdentityNumber  string
	BirthDate       time.Time
	MobilePhone     string
	HomePhone       string
	AltContactPhone string
	SubmittedAt     time.Time
}

// Screen applies the auto-reject rules and answers their reason codes, none
// when the application goes on to an underwriter.
func (a *Activities) Screen(ctx context.Context, in ScreenInput) ([]string, error) {
	open, err := a.Store.CountOpenLoans(ctx, in.IdentityNumber, in.Product.Code, in.Ref)
	if err != nil {
		return nil, err
	}
	return Rules(in, open), nil
}

// Rules are the auto-reject rules as a pure function of the application and
// the number of the applicant's other open loans of the same product.
func Rules(in ScreenInput, openLoans int64) []string {
	codes := []string{}
	submitted := day(in.SubmittedAt)
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
	if in.TermMonths < in.Product.MinTermMonths || in.TermMonths > in.Product.MaxTermMonths {
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
	birth = day(birth)
	years := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		years--
	}
	return years
}
