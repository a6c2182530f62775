package iutewire

import (
	"net/http"
	"strconv"
)

// PathPrefix is where the interfaces live; the document's samples serve it under a context path,
// /iute.
const PathPrefix = "/rest/api/partner"

// Interface is one interface of the document: its method, its path under PathPrefix, and the
// parameters it takes as files.
type Interface struct {
	Method string
	Path   string
	Files  []string
}

// The document's interfaces.
var (
	Calculate          = Interface{Method: http.MethodPost, Path: "/loan/calc"}
	AddLoan            = Interface{Method: http.MethodPost, Path: "/new/loan", Files: []string{FieldIDCopy, FieldDataVerification}}
	CancelLoan         = Interface{Method: http.MethodGet, Path: "/cancel/loan"}
	CheckLoanStatus    = Interface{Method: http.MethodPost, Path: "/loan/check/status"}
	CheckLoanInfo      = Interface{Method: http.MethodGet, Path: "/loan/info"}
	GenerateAgreement  = Interface{Method: http.MethodGet, Path: "/generate/agreement"}
	UploadFiles        = Interface{Method: http.MethodPost, Path: "/loan/files/upload", Files: []string{FieldLoanAgreement, FieldBankStatement}}
	AllowCashRelease   = Interface{Method: http.MethodGet, Path: "/allow/cash/release"}
	ConfirmCashRelease = Interface{Method: http.MethodGet, Path: "/confirm/cash/release"}
	InsertRepayment    = Interface{Method: http.MethodGet, Path: "/insert/repayment"}
)

// Content types of the answers, as the document gives them.
const (
	ContentTypeXML  = "application/xml;charset=UTF-8"
	ContentTypePDF  = "application/pdf;charset=UTF-8"
	ContentTypeHTML = "text/html;charset=UTF-8"
)

// AgreementFilename is the name generate agreement gives the PDF of loan ref in language lang.
func AgreementFilename(ref int64, lang string) string {
	return "specific_agreement_" + strconv.FormatInt(ref, 10) + "_" + lang + ".pdf"
}

// AgreementDisposition is generate agreement's Content-Disposition header.
func AgreementDisposition(ref int64, lang string) string {
	return "attachment;filename=" + AgreementFilename(ref, lang)
}
