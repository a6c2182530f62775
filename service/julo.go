package service

import (
	"net/mail"
	"regexp"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/providers/julo"
)

// JULO's formats, as its partnership API validates them: a 16-digit NIK,
// a 6-digit PIN, Indonesian mobile numbers (08…), 5-digit postal codes.
var (
	nikPattern       = regexp.MustCompile(`^[0-9]{16}$`)
	juloPINPattern   = regexp.MustCompile(`^[0-9]{6}$`)
	juloPhonePattern = regexp.MustCompile(`^08[0-9]{7,11}$`)
	kodeposPattern   = regexp.MustCompile(`^[0-9]{5}$`)
)

// JuloData is the "julo" object of POST /v1/loans: what JULO needs beyond
// our application. It is required when the product's lender is julo and
// refused otherwise, so its decode errors are kept apart until the product
// is known.
type JuloData struct {
	Applicant lending.JuloApplicant
	// Present: the request carried a "julo" object.
	Present bool
	// DecodeErrors are its fields that could not be decoded, or are missing.
	DecodeErrors failure.FieldErrors
}

// validate applies JULO's rules, so that a loan JULO would refuse is
// refused here, field by field, before anything is registered. A field
// already flagged (not decodable, missing) is not flagged twice.
func (d *JuloData) validate(errs *failure.FieldErrors) {
	*errs = append(*errs, d.DecodeErrors...)
	j := &d.Applicant
	add := func(field, format string, args ...any) {
		if !errs.Has("julo." + field) {
			errs.Add("julo."+field, format, args...)
		}
	}
	text := func(field, value string, required bool) {
		if msg := textProblem(value, required, maxTextLen); msg != "" {
			add(field, "%s", msg)
		}
	}
	format := func(field, value string, re *regexp.Regexp, required bool, msg string) {
		switch {
		case value == "" && required:
			add(field, "required")
		case value != "" && !re.MatchString(value):
			add(field, "%s", msg)
		}
	}
	phone := func(field, value string, required bool) {
		format(field, value, juloPhonePattern, required, "must be an Indonesian mobile number: 08 and 7 to 11 digits")
	}

	format("nik", j.NIK, nikPattern, true, "must be the 16-digit NIK")
	format("pin", j.PIN, juloPINPattern, true, "must be 6 digits")
	if j.Email == "" {
		add("email", "required")
	} else if a, err := mail.ParseAddress(j.Email); err != nil || a.Address != j.Email {
		add("email", "must be an e-mail address")
	}
	if j.Latitude < -90 || j.Latitude > 90 {
		add("latitude", "must be between -90 and 90")
	}
	if j.Longitude < -180 || j.Longitude > 180 {
		add("longitude", "must be between -180 and 180")
	}
	for _, f := range []struct{ field, value string }{
		{"birth_place", j.BirthPlace}, {"mother_maiden_name", j.MotherMaidenName},
		{"address_street_num", j.AddressStreetNum}, {"address_provinsi", j.AddressProvinsi},
		{"address_kabupaten", j.AddressKabupaten}, {"address_kecamatan", j.AddressKecamatan},
		{"address_kelurahan", j.AddressKelurahan}, {"home_status", j.HomeStatus}, {"marital_status", j.MaritalStatus},
		{"kin_relationship", j.KinRelationship}, {"kin_name", j.KinName}, {"job_type", j.JobType},
		{"last_education", j.LastEducation}, {"bank_name", j.BankName}, {"bank_account_number", j.BankAccountNumber},
		{"loan_purpose", j.LoanPurpose}, {"loan_purpose_desc", j.LoanPurposeDesc},
	} {
		text(f.field, f.value, true)
	}
	if j.Gender != julo.GenderMale && j.Gender != julo.GenderFemale {
		add("gender", "must be %s or %s", julo.GenderMale, julo.GenderFemale)
	}
	format("address_kodepos", j.AddressKodepos, kodeposPattern, true, "must be the 5-digit postal code")
	if j.Dependent < 0 || j.Dependent > 20 {
		add("dependent", "must be from 0 to 20")
	}
	phone("mobile_phone", j.MobilePhone, true)
	phone("mobile_phone_2", j.MobilePhone2, false)
	phone("kin_mobile_phone", j.KinMobilePhone, true)
	single, married := j.MaritalStatus == julo.MaritalSingle, j.MaritalStatus == julo.MaritalMarried
	text("close_kin_name", j.CloseKinName, single)
	phone("close_kin_mobile_phone", j.CloseKinMobile, single)
	text("spouse_name", j.SpouseName, married)
	phone("spouse_mobile_phone", j.SpouseMobilePhone, married)
	employed := j.JobType != "" && !slices.Contains(julo.JobTypesWithoutEmployer, j.JobType)
	text("job_industry", j.JobIndustry, employed)
	text("job_description", j.JobDescription, employed)
	text("company_name", j.CompanyName, employed)
	text("company_phone_number", j.CompanyPhone, employed)
	if employed && j.JobStart.IsZero() {
		add("job_start", "required for job type %q", j.JobType)
	}
	if (employed || j.Payday != 0) && (j.Payday < 1 || j.Payday > 31) {
		add("payday", "must be a day of the month, 1 to 31")
	}
	for _, m := range []struct {
		field  string
		amount decimal.Decimal
	}{
		{"monthly_income", j.MonthlyIncome}, {"monthly_expenses", j.MonthlyExpenses},
		{"monthly_housing_cost", j.MonthlyHousing}, {"total_current_debt", j.TotalCurrentDebt},
	} {
		if m.amount.IsNegative() || !m.amount.Equal(m.amount.Truncate(0)) {
			add(m.field, "must be a whole number of rupiah, not negative")
		}
	}
	if !j.VerificationAgree {
		add("is_verification_agreed", "must be true: JULO verifies the customer")
	}
	if !j.TermsAccepted {
		add("is_term_accepted", "must be true: the customer accepts JULO's terms")
	}
}
