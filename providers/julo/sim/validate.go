package sim

import (
	"maps"
	"math"
	"slices"
)

// validateApplication applies the complete customer data rules: the mandatory fields, the ones
// marital_status and job_type make mandatory, JULO's enumerations and formats, and the OTP-verified
// phone. It returns the accepted data with numbers normalized.
func validateApplication(b body, verifiedPhone string) (map[string]any, []string) {
	var c checker
	data := map[string]any{}
	for _, f := range []string{
		"fullname", "birth_place", "mother_maiden_name", "address_street_num", "address_provinsi",
		"address_kabupaten", "address_kecamatan", "address_kelurahan", "home_status", "kin_relationship",
		"kin_name", "job_type", "last_education", "bank_name", "bank_account_number", "loan_purpose",
		"loan_purpose_desc",
	} {
		data[f] = c.str(b, f, true)
	}
	data["dob"] = c.date(b, "dob", true)
	data["gender"] = c.oneOf(b, "gender", "Pria", "Wanita")
	data["address_kodepos"] = c.match(b, "address_kodepos", postRE, "Postal code must be 5 digits.")
	data["marital_status"] = c.str(b, "marital_status", true)
	phone := c.match(b, "mobile_phone_1", phoneRE, "Enter a valid mobile phone number.")
	data["mobile_phone_1"] = phone
	data["kin_mobile_phone"] = c.match(b, "kin_mobile_phone", phoneRE, "Enter a valid mobile phone number.")
	if n, ok := c.integer(b, "dependent", true, 0, 20); ok {
		data["dependent"] = n
	}
	for _, f := range []string{"monthly_income", "monthly_expenses", "monthly_housing_cost", "total_current_debt"} {
		if n, ok := c.integer(b, f, true, 0, math.MaxInt64); ok {
			data[f] = n
		}
	}
	if !c.boolean(b, "is_verification_agreed") {
		c.add("is_verification_agreed", "Verification must be agreed.")
	}
	if !c.boolean(b, "is_term_accepted") {
		c.add("is_term_accepted", "Terms must be accepted.")
	}
	optional := map[string]string{
		"mobile_phone_2": "phone", "occupied_since": "date", "spouse_dob": "date", "kin_dob": "date",
		"close_kin_name": "", "close_kin_mobile_phone": "phone", "spouse_name": "", "spouse_mobile_phone": "phone",
	}
	switch data["marital_status"] {
	case "Lajang":
		data["close_kin_name"] = c.str(b, "close_kin_name", true)
		data["close_kin_mobile_phone"] = c.match(b, "close_kin_mobile_phone", phoneRE, "Enter a valid mobile phone number.")
		delete(optional, "close_kin_name")
		delete(optional, "close_kin_mobile_phone")
	case "Menikah":
		data["spouse_name"] = c.str(b, "spouse_name", true)
		data["spouse_mobile_phone"] = c.match(b, "spouse_mobile_phone", phoneRE, "Enter a valid mobile phone number.")
		delete(optional, "spouse_name")
		delete(optional, "spouse_mobile_phone")
	}
	for _, f := range slices.Sorted(maps.Keys(optional)) {
		kind := optional[f]
		if b[f] == nil || b[f] == "" {
			continue
		}
		switch kind {
		case "phone":
			data[f] = c.match(b, f, phoneRE, "Enter a valid mobile phone number.")
		case "date":
			data[f] = c.date(b, f, false)
		default:
			data[f] = c.str(b, f, false)
		}
	}
	if jt, _ := data["job_type"].(string); jt != "" && !slices.Contains(jobTypesWithoutEmployer, jt) {
		for _, f := range []string{"job_industry", "job_description", "company_name", "company_phone_number"} {
			data[f] = c.str(b, f, true)
		}
		data["job_start"] = c.date(b, "job_start", true)
		if n, ok := c.integer(b, "payday", true, 1, 31); ok {
			data["payday"] = n
		}
	}
	if phone != "" && verifiedPhone != "" && phone != verifiedPhone {
		c.add("mobile_phone_1", "Must be the mobile phone verified by OTP.")
	}
	if c.errs != nil {
		return nil, c.errs
	}
	return data, nil
}
