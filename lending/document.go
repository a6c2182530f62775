package lending

import "slices"

// DocumentKind is what an uploaded file is.
type DocumentKind string

// Document kinds.
const (
	// The signed agreement and the bank statement complete an approved
	// application (RequiredDocuments).
	DocSignedAgreement DocumentKind = "signed_agreement"
	DocBankStatement   DocumentKind = "bank_statement"
	// The identity document's copy and the data verification form may come
	// with the application, while it is SUBMITTED or APPROVED.
	DocIDCopy           DocumentKind = "id_copy"
	DocDataVerification DocumentKind = "data_verification"
	// The identity card (KTP) and selfie images JULO requires before it
	// completes an application; taken while a JULO loan is SUBMITTED.
	DocKTP    DocumentKind = "ktp"
	DocSelfie DocumentKind = "selfie"
	// DocLenderAgreement is the agreement an external lender issues,
	// fetched from it once it approves.
	DocLenderAgreement DocumentKind = "lender_agreement"
)

// RequiredDocuments must both be present to move an approved loan to
// DOCUMENTS_SUBMITTED.
var RequiredDocuments = []DocumentKind{DocSignedAgreement, DocBankStatement}

// PartnerDocuments are the kinds a partner may upload; the workflow decides
// which one its loan takes when.
var PartnerDocuments = []DocumentKind{DocSignedAgreement, DocBankStatement, DocIDCopy, DocDataVerification, DocKTP, DocSelfie}

// PartnerUploadable reports whether a partner may upload a file of kind k.
func (k DocumentKind) PartnerUploadable() bool { return slices.Contains(PartnerDocuments, k) }

// Image kinds are passed on to JULO, which takes JPEG and PNG images only.
func (k DocumentKind) Image() bool { return k == DocKTP || k == DocSelfie }

// DocumentStatus is where a stored document's review stands.
type DocumentStatus string

// Document review states.
const (
	DocStatusSubmitted DocumentStatus = "submitted"
	DocStatusRejected  DocumentStatus = "rejected"
)
