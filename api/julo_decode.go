package api

import (
	"encoding/json"
	"strconv"

	"github.com/loanflow/loanflow/service"
)

// readJulo decodes body's "julo" object. An absent object reads as empty,
// so that, for a JULO product, each of its required fields is named.
func readJulo(body *jsonObject) service.JuloData {
	var d service.JuloData
	raw := body.raw("julo")
	o := &jsonObject{path: "julo.", seen: map[string]bool{}, errs: &d.DecodeErrors}
	if raw != nil {
		d.Present = true
		if err := json.Unmarshal(raw, &o.fields); err != nil {
			d.DecodeErrors.Add("julo", "must be an object")
			o.fields, o.broken = nil, true
		}
	}
	j := &d.Applicant
	j.NIK, j.Email, j.PIN = o.String("nik"), o.String("email"), o.String("pin")
	j.Latitude, j.Longitude = juloFloat(o, "latitude"), juloFloat(o, "longitude")
	j.BirthPlace, j.Gender, j.MotherMaidenName = o.String("birth_place"), o.String("gender"), o.String("mother_maiden_name")
	j.AddressStreetNum, j.AddressProvinsi = o.String("address_street_num"), o.String("address_provinsi")
	j.AddressKabupaten, j.AddressKecamatan = o.String("address_kabupaten"), o.String("address_kecamatan")
	j.AddressKelurahan, j.AddressKodepos = o.String("address_kelurahan"), o.String("address_kodepos")
	j.HomeStatus, j.MaritalStatus = o.String("home_status"), o.String("marital_status")
	if t := o.Date("occupied_since", false); t != nil {
		j.OccupiedSince = *t
	}
	j.Dependent = o.Int("dependent")
	j.MobilePhone, j.MobilePhone2 = o.String("mobile_phone"), o.String("mobile_phone_2")
	j.CloseKinName, j.CloseKinMobile = o.String("close_kin_name"), o.String("close_kin_mobile_phone")
	j.SpouseName, j.SpouseMobilePhone = o.String("spouse_name"), o.String("spouse_mobile_phone")
	if t := o.Date("spouse_dob", false); t != nil {
		j.SpouseDOB = *t
	}
	j.KinRelationship, j.KinName, j.KinMobilePhone = o.String("kin_relationship"), o.String("kin_name"), o.String("kin_mobile_phone")
	if t := o.Date("kin_dob", false); t != nil {
		j.KinDOB = *t
	}
	j.JobType, j.JobIndustry, j.JobDescription = o.String("job_type"), o.String("job_industry"), o.String("job_description")
	j.CompanyName, j.CompanyPhone = o.String("company_name"), o.String("company_phone_number")
	if t := o.Date("job_start", false); t != nil {
		j.JobStart = *t
	}
	j.Payday = juloOptionalInt(o, "payday")
	j.LastEducation = o.String("last_education")
	j.MonthlyIncome, j.MonthlyExpenses = o.Decimal("monthly_income"), o.Decimal("monthly_expenses")
	j.MonthlyHousing, j.TotalCurrentDebt = o.Decimal("monthly_housing_cost"), o.Decimal("total_current_debt")
	j.BankName, j.BankAccountNumber = o.String("bank_name"), o.String("bank_account_number")
	j.LoanPurpose, j.LoanPurposeDesc = o.String("loan_purpose"), o.String("loan_purpose_desc")
	j.VerificationAgree, j.TermsAccepted = juloBool(o, "is_verification_agreed"), juloBool(o, "is_term_accepted")
	o.Done()
	return d
}

// juloFloat reads a required JSON number (coordinates, not money).
func juloFloat(o *jsonObject, key string) float64 {
	v := o.raw(key)
	if v == nil {
		o.missing(key)
		return 0
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		o.errs.Add(o.name(key), "must be a number")
	}
	return f
}

// juloOptionalInt reads an integer that may be absent (0).
func juloOptionalInt(o *jsonObject, key string) int {
	if o.fields[key] == nil || string(o.fields[key]) == "null" {
		o.seen[key] = true
		return 0
	}
	return o.Int(key)
}

// juloBool reads a required boolean.
func juloBool(o *jsonObject, key string) bool {
	if o.raw(key) == nil {
		o.missing(key)
		return false
	}
	b := o.OptionalBool(key)
	return b != nil && *b
}
