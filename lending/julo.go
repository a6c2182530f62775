package lending

import (
	"time"

	"github.com/shopspring/decimal"
)

// JuloApplicant is what JULO needs beyond our /v1 application, as the
// partner sent it under "julo" on POST /v1/loans; it is stored as the
// loan's LenderData. The applicant's name and birth date are not repeated:
// JULO gets them from the application itself. Amounts are whole rupiah.
type JuloApplicant struct {
	NIK   string `json:"nik"` // the 16-digit national id
	Email string `json:"email"`
	// PIN is the customer's 6-digit JULO app PIN. It is needed for the
	// registration only and dropped from the stored data once JULO has
	// answered it.
	PIN       string  `json:"pin,omitempty"`
	Latitude  float64 `json:"latitude"` // where the customer applies: coordinates, not money
	Longitude float64 `json:"longitude"`

	BirthPlace       string    `json:"birth_place"`
	Gender           string    `json:"gender"` // JULO's spelling: "Pria" | "Wanita"
	MotherMaidenName string    `json:"mother_maiden_name"`
	AddressStreetNum string    `json:"address_street_num"`
	AddressProvinsi  string    `json:"address_provinsi"`
	AddressKabupaten string    `json:"address_kabupaten"`
	AddressKecamatan string    `json:"address_kecamatan"`
	AddressKelurahan string    `json:"address_kelurahan"`
	AddressKodepos   string    `json:"address_kodepos"`
	HomeStatus       string    `json:"home_status"`
	OccupiedSince    time.Time `json:"occupied_since,omitzero"`
	MaritalStatus    string    `json:"marital_status"`
	Dependent        int       `json:"dependent"`
	// MobilePhone receives JULO's OTP and is the application's
	// mobile_phone_1, which JULO requires to be the verified one.
	MobilePhone       string    `json:"mobile_phone"`
	MobilePhone2      string    `json:"mobile_phone_2,omitempty"`
	CloseKinName      string    `json:"close_kin_name,omitempty"`
	CloseKinMobile    string    `json:"close_kin_mobile_phone,omitempty"`
	SpouseName        string    `json:"spouse_name,omitempty"`
	SpouseMobilePhone string    `json:"spouse_mobile_phone,omitempty"`
	SpouseDOB         time.Time `json:"spouse_dob,omitzero"`
	KinRelationship   string    `json:"kin_relationship"`
	KinName           string    `json:"kin_name"`
	KinMobilePhone    string    `json:"kin_mobile_phone"`
	KinDOB            time.Time `json:"kin_dob,omitzero"`
	JobType           string    `json:"job_type"`
	JobIndustry       string    `json:"job_industry,omitempty"`
	JobDescription    string    `json:"job_description,omitempty"`
	CompanyName       string    `json:"company_name,omitempty"`
	CompanyPhone      string    `json:"company_phone_number,omitempty"`
	JobStart          time.Time `json:"job_start,omitzero"`
	Payday            int       `json:"payday,omitempty"`
	LastEducation     string    `json:"last_education"`

	MonthlyIncome     decimal.Decimal `json:"monthly_income"`
	MonthlyExpenses   decimal.Decimal `json:"monthly_expenses"`
	MonthlyHousing    decimal.Decimal `json:"monthly_housing_cost"`
	TotalCurrentDebt  decimal.Decimal `json:"total_current_debt"`
	BankName          string          `json:"bank_name"`
	BankAccountNumber string          `json:"bank_account_number"`
	LoanPurpose       string          `json:"loan_purpose"`
	LoanPurposeDesc   string          `json:"loan_purpose_desc"`
	VerificationAgree bool            `json:"is_verification_agreed"`
	TermsAccepted     bool            `json:"is_term_accepted"`
}
