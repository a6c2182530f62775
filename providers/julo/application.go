package julo

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// DateLayout is JULO's YYYY-MM-DD.
const DateLayout = "2006-01-02"

// Values of the enumerated fields that change which other fields are required.
const (
	GenderMale   = "Pria"
	GenderFemale = "Wanita"

	MaritalSingle  = "Lajang"  // requires CloseKinName and CloseKinMobilePhone
	MaritalMarried = "Menikah" // requires SpouseName and SpouseMobilePhone
)

// JobTypesWithoutEmployer are the job types for which the employer fields are not required.
var JobTypesWithoutEmployer = []string{"Tidak bekerja", "Staf rumah tangga", "Ibu rumah tangga", "Mahasiswa"}

// ApplicationData completes a registered application. Amounts are whole rupiah. Zero optional values
// are omitted.
type ApplicationData struct {
	Fullname          string
	BirthPlace        string
	DOB               time.Time
	Gender            string // GenderMale | GenderFemale
	MotherMaidenName  string
	AddressStreetNum  string
	AddressProvinsi   string
	AddressKabupaten  string
	AddressKecamatan  string
	AddressKelurahan  string
	AddressKodepos    string
	HomeStatus        string
	OccupiedSince     time.Time // optional
	MaritalStatus     string
	Dependent         int
	MobilePhone1      string
	MobilePhone2      string // optional
	CloseKinName      string
	CloseKinMobile    string
	SpouseName        string
	SpouseMobilePhone string
	SpouseDOB         time.Time // optional
	KinRelationship   string
	KinName           string
	KinMobilePhone    string
	KinDOB            time.Time // optional
	JobType           string
	JobIndustry       string
	JobDescription    string
	CompanyName       string
	CompanyPhone      string
	JobStart          time.Time
	Payday            int // 1..31
	LastEducation     string
	MonthlyIncome     decimal.Decimal
	MonthlyExpenses   decimal.Decimal
	MonthlyHousing    decimal.Decimal
	TotalCurrentDebt  decimal.Decimal
	BankName          string
	BankAccountNumber string
	LoanPurpose       string
	LoanPurposeDesc   string
	VerificationAgree bool
	TermsAccepted     bool
}

// Application is the part of JULO's answer to CompleteApplication that loanflow keeps.
type Application struct {
	ApplicationXID    int64
	Fullname          string
	KTP               string
	Email             string
	DOB               time.Time
	MobilePhone1      string
	MaritalStatus     string
	JobType           string
	MonthlyIncome     decimal.Decimal
	MonthlyExpenses   decimal.Decimal
	MonthlyHousing    decimal.Decimal
	TotalCurrentDebt  decimal.Decimal
	BankName          string
	BankAccountNumber string
	LoanPurpose       string
}

// applicationWire is the JSON body; amounts go out as JSON numbers, as JULO's example sends them.
type applicationWire struct {
	Fullname             string      `json:"fullname"`
	BirthPlace           string      `json:"birth_place"`
	DOB                  string      `json:"dob"`
	Gender               string      `json:"gender"`
	MotherMaidenName     string      `json:"mother_maiden_name"`
	AddressStreetNum     string      `json:"address_street_num"`
	AddressProvinsi      string      `json:"address_provinsi"`
	AddressKabupaten     string      `json:"address_kabupaten"`
	AddressKecamatan     string      `json:"address_kecamatan"`
	AddressKelurahan     string      `json:"address_kelurahan"`
	AddressKodepos       string      `json:"address_kodepos"`
	HomeStatus           string      `json:"home_status"`
	OccupiedSince        string      `json:"occupied_since,omitempty"`
	MaritalStatus        string      `json:"marital_status"`
	Dependent            int         `json:"dependent"`
	MobilePhone1         string      `json:"mobile_phone_1"`
	MobilePhone2         string      `json:"mobile_phone_2,omitempty"`
	CloseKinName         string      `json:"close_kin_name,omitempty"`
	CloseKinMobilePhone  string      `json:"close_kin_mobile_phone,omitempty"`
	SpouseName           string      `json:"spouse_name,omitempty"`
	SpouseMobilePhone    string      `json:"spouse_mobile_phone,omitempty"`
	SpouseDOB            string      `json:"spouse_dob,omitempty"`
	KinRelationship      string      `json:"kin_relationship"`
	KinName              string      `json:"kin_name"`
	KinMobilePhone       string      `json:"kin_mobile_phone"`
	KinDOB               string      `json:"kin_dob,omitempty"`
	JobType              string      `json:"job_type"`
	JobIndustry          string      `json:"job_industry,omitempty"`
	JobDescription       string      `json:"job_description,omitempty"`
	CompanyName          string      `json:"company_name,omitempty"`
	CompanyPhoneNumber   string      `json:"company_phone_number,omitempty"`
	JobStart             string      `json:"job_start,omitempty"`
	Payday               int         `json:"payday,omitempty"`
	LastEducation        string      `json:"last_education"`
	MonthlyIncome        json.Number `json:"monthly_income"`
	MonthlyExpenses      json.Number `json:"monthly_expenses"`
	MonthlyHousingCost   json.Number `json:"monthly_housing_cost"`
	TotalCurrentDebt     json.Number `json:"total_current_debt"`
	BankName             string      `json:"bank_name"`
	BankAccountNumber    string      `json:"bank_account_number"`
	LoanPurpose          string      `json:"loan_purpose"`
	LoanPurposeDesc      string      `json:"loan_purpose_desc"`
	IsVerificationAgreed bool        `json:"is_verification_agreed"`
	IsTermAccepted       bool        `json:"is_term_accepted"`
}

// applicationAnswer is the subset of the answer we read; nullable amounts stay nullable on the wire.
type applicationAnswer struct {
	ApplicationXID     int64               `json:"application_xid"`
	Fullname           string              `json:"fullname"`
	KTP                string              `json:"ktp"`
	Email              string              `json:"email"`
	DOB                string              `json:"dob"`
	MobilePhone1       string              `json:"mobile_phone_1"`
	MaritalStatus      string              `json:"marital_status"`
	JobType            string              `json:"job_type"`
	MonthlyIncome      decimal.NullDecimal `json:"monthly_income"`
	MonthlyExpenses    decimal.NullDecimal `json:"monthly_expenses"`
	MonthlyHousingCost decimal.NullDecimal `json:"monthly_housing_cost"`
	TotalCurrentDebt   decimal.NullDecimal `json:"total_current_debt"`
	BankName           string              `json:"bank_name"`
	BankAccountNumber  string              `json:"bank_account_number"`
	LoanPurpose        string              `json:"loan_purpose"`
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(DateLayout)
}

// CompleteApplication sends the customer's data. JULO requires the KTP and selfie images and a validated
// OTP first. Sending it again updates the data.
func (c *Client) CompleteApplication(ctx context.Context, applicationXID int64, d ApplicationData) (*Application, error) {
	body := applicationWire{
		Fullname: d.Fullname, BirthPlace: d.BirthPlace, DOB: date(d.DOB), Gender: d.Gender,
		MotherMaidenName: d.MotherMaidenName, AddressStreetNum: d.AddressStreetNum,
		AddressProvinsi: d.AddressProvinsi, AddressKabupaten: d.AddressKabupaten,
		AddressKecamatan: d.AddressKecamatan, AddressKelurahan: d.AddressKelurahan,
		AddressKodepos: d.AddressKodepos, HomeStatus: d.HomeStatus, OccupiedSince: date(d.OccupiedSince),
		MaritalStatus: d.MaritalStatus, Dependent: d.Dependent, MobilePhone1: d.MobilePhone1,
		MobilePhone2: d.MobilePhone2, CloseKinName: d.CloseKinName, CloseKinMobilePhone: d.CloseKinMobile,
		SpouseName: d.SpouseName, SpouseMobilePhone: d.SpouseMobilePhone, SpouseDOB: date(d.SpouseDOB),
		KinRelationship: d.KinRelationship, KinName: d.KinName, KinMobilePhone: d.KinMobilePhone,
		KinDOB: date(d.KinDOB), JobType: d.JobType, JobIndustry: d.JobIndustry,
		JobDescription: d.JobDescription, CompanyName: d.CompanyName, CompanyPhoneNumber: d.CompanyPhone,
		JobStart: date(d.JobStart), Payday: d.Payday, LastEducation: d.LastEducation,
		MonthlyIncome:      json.Number(d.MonthlyIncome.String()),
		MonthlyExpenses:    json.Number(d.MonthlyExpenses.String()),
		MonthlyHousingCost: json.Number(d.MonthlyHousing.String()),
		TotalCurrentDebt:   json.Number(d.TotalCurrentDebt.String()),
		BankName:           d.BankName, BankAccountNumber: d.BankAccountNumber, LoanPurpose: d.LoanPurpose,
		LoanPurposeDesc: d.LoanPurposeDesc, IsVerificationAgreed: d.VerificationAgree, IsTermAccepted: d.TermsAccepted,
	}
	const op = "complete_application"
	var a applicationAnswer
	if err := c.do(ctx, call{op: op, method: http.MethodPatch,
		path: "/applications/" + strconv.FormatInt(applicationXID, 10), body: body}, &a); err != nil {
		return nil, err
	}
	out := &Application{
		ApplicationXID: a.ApplicationXID, Fullname: a.Fullname, KTP: a.KTP, Email: a.Email,
		MobilePhone1: a.MobilePhone1, MaritalStatus: a.MaritalStatus, JobType: a.JobType,
		MonthlyIncome: a.MonthlyIncome.Decimal, MonthlyExpenses: a.MonthlyExpenses.Decimal,
		MonthlyHousing: a.MonthlyHousingCost.Decimal, TotalCurrentDebt: a.TotalCurrentDebt.Decimal,
		BankName: a.BankName, BankAccountNumber: a.BankAccountNumber, LoanPurpose: a.LoanPurpose,
	}
	if a.DOB != "" {
		dob, err := time.Parse(DateLayout, a.DOB)
		if err != nil {
			return nil, badData(op, err)
		}
		out.DOB = dob
	}
	return out, nil
}
