package julo_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/testclock"
	"github.com/loanflow/loanflow/providers/julo"
	"github.com/loanflow/loanflow/providers/julo/sim"
)

type env struct {
	client *julo.Client
	sim    *sim.Server
	srv    *httptest.Server
	clock  *testclock.Clock
}

func newEnv(t *testing.T, opts sim.Options) *env {
	t.Helper()
	clk := testclock.New(time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC))
	if opts.Now == nil {
		opts.Now = clk.Now
	}
	s := sim.New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := julo.New(julo.Config{BaseURL: srv.URL, Username: "partner", SecretKey: "secret"})
	require.NoError(t, err)
	return &env{client: c, sim: s, srv: srv, clock: clk}
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func registration(nik, email string) julo.Registration {
	return julo.Registration{NIK: nik, PIN: "111222", Email: email, Latitude: -6.1815657, Longitude: 106.7229445}
}

var jpeg = julo.File{Name: "ktp.jpg", Data: []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00 image")}

func day(s string) time.Time {
	t, err := time.Parse(julo.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func applicationData(phone string) julo.ApplicationData {
	return julo.ApplicationData{
		Fullname: "Budi Ismail", BirthPlace: "Jakarta", DOB: day("1992-01-01"), Gender: julo.GenderMale,
		MotherMaidenName: "Nani", AddressStreetNum: "Batcave, Gotham City", AddressProvinsi: "DKI Jakarta",
		AddressKabupaten: "Jakarta Barat", AddressKecamatan: "Cengkareng", AddressKelurahan: "Cengkareng Barat",
		AddressKodepos: "11730", HomeStatus: "Milik sendiri, lunas", OccupiedSince: day("1999-07-13"),
		MaritalStatus: julo.MaritalMarried, Dependent: 2, MobilePhone1: phone,
		SpouseName: "Jeane Melany", SpouseMobilePhone: "085330838901", SpouseDOB: day("1972-01-28"),
		KinRelationship: "Saudara kandung", KinName: "Lawage Nugroho", KinMobilePhone: "087778231801",
		JobType: "Pegawai swasta", JobIndustry: "Kesehatan", JobDescription: "Apoteker", CompanyName: "DBS Bank",
		CompanyPhone: "02153653232", JobStart: day("2010-07-01"), Payday: 24, LastEducation: "Diploma",
		MonthlyIncome: decimal.NewFromInt(10000000), MonthlyExpenses: decimal.NewFromInt(500000),
		MonthlyHousing: decimal.Zero, TotalCurrentDebt: decimal.Zero,
		BankName: "BANK NEGARA INDONESIA (PERSERO), Tbk (BNI)", BankAccountNumber: "0672272764",
		LoanPurpose: "Membeli kendaraan", LoanPurposeDesc: "Need to buy a new gadget",
		VerificationAgree: true, TermsAccepted: true,
	}
}
