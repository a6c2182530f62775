package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// MaxDocumentSize is the largest file a partner may upload.
const MaxDocumentSize = 10 << 20

// documentKinds are the kinds a partner uploads: after approval, and the
// KTP and selfie images of a JULO loan while it is SUBMITTED (the workflow
// decides which kind its loan takes when).
var documentKinds = map[string]bool{
	models.DocSignedAgreement: true,
	models.DocBankStatement:   true,
	models.DocIDCopy:          true,
	models.DocKTP:             true,
	models.DocSelfie:          true,
}

// imageKinds are passed on to JULO, which takes JPEG and PNG images only.
var imageKinds = map[string]bool{models.DocKTP: true, models.DocSelfie: true}

// documentTypes are the accepted sniffed content types.
var documentTypes = map[string]bool{
	"image/jpeg":      true,
	"image/png":       true,
	"application/pdf": true,
}

// DocumentUpload is a file the partner sends for a loan.
type DocumentUpload struct {
	Kind     string
	Filename string
	Data     []byte
}

// UploadDocument stores the file and tells the workflow about it. If the
// workflow refuses it (wrong state, wrong kind), the stored file is deleted
// again, so no document exists that the loan does not know of.
func (s *Service) UploadDocument(ctx context.Context, p *models.Partner, ref int64, up DocumentUpload) (*models.Document, *models.Loan, error) {
	var errs FieldErrors
	switch {
	case up.Kind == "":
		errs.Add("kind", "required")
	case !documentKinds[up.Kind]:
		errs.Add("kind", "must be one of signed_agreement, bank_statement, id_copy, ktp, selfie")
	}
	if len(up.Data) == 0 {
		errs.Add("file", "required and must not be empty")
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	if len(up.Data) > MaxDocumentSize {
		return nil, nil, &Error{Kind: KindTooLarge, Detail: fmt.Sprintf("the file is larger than %d bytes", MaxDocumentSize)}
	}
	// The client's Content-Type is not trusted: the bytes decide.
	ctype := http.DetectContentType(up.Data)
	if !documentTypes[ctype] {
		return nil, nil, &Error{Kind: KindUnsupportedMediaType, Detail: "the file must be a JPEG, PNG or PDF, not " + ctype}
	}
	if imageKinds[up.Kind] && ctype == "application/pdf" {
		return nil, nil, &Error{Kind: KindUnsupportedMediaType, Detail: "a " + up.Kind + " must be a JPEG or PNG image"}
	}
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return nil, nil, err
	}
	sum := sha256.Sum256(up.Data)
	doc := &models.Document{
		LoanRef:     ref,
		Kind:        up.Kind,
		Filename:    cleanFilename(up.Filename),
		ContentType: ctype,
		Size:        int64(len(up.Data)),
		SHA256:      hex.EncodeToString(sum[:]),
		Status:      models.DocStatusSubmitted,
		Data:        up.Data,
		UploadedBy:  partnerActor(p),
		CreatedAt:   s.now().UTC(),
	}
	if err := s.store.AddDocument(ctx, doc); err != nil {
		return nil, nil, unavailable(err)
	}
	req := workflows.DocumentRequest{Actor: partnerActor(p), Kind: up.Kind, DocumentID: doc.ID}
	loan, err := s.transition(ctx, ref, workflows.UpdateSubmitDocument, fmt.Sprintf("doc-%d", doc.ID), req)
	if err != nil {
		// Only a definite refusal undoes the insert: after an outage the
		// Update may still have been applied, and a document the workflow
		// refers to must not vanish.
		if KindOf(err) != KindUnavailable {
			if derr := s.store.DB.WithContext(context.WithoutCancel(ctx)).Delete(&models.Document{}, doc.ID).Error; derr != nil {
				s.log.Error("delete refused document", "ref", ref, "document", doc.ID, "error", derr)
			}
		}
		return nil, nil, err
	}
	doc.Data = nil
	return doc, loan, nil
}

// cleanFilename keeps the base name of what the client called the file,
// printable and bounded; it is shown to staff, never used as a path.
func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	name = strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" || name == "" {
		return "upload"
	}
	if r := []rune(name); len(r) > maxTextLen {
		name = string(r[:maxTextLen])
	}
	return name
}
