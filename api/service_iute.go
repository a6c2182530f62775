package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
)

// This file holds what the Iute-compatible façade (api/iute) needs from the
// Service beyond what /v1 uses: the façade speaks another wire format but
// must share the credentials, the loans and the workflow of /v1.

// Now is the Service's clock, so a front end measures retry windows on the
// same time the Service stamps loans and transactions with.
func (s *Service) Now() time.Time { return s.now() }

// PartnerAuthenticator checks a partner's HTTP Basic credentials, answering
// a KindUnauthorized *Error for an unknown user, a wrong password or an
// inactive account.
type PartnerAuthenticator func(ctx context.Context, username, password string) (*models.Partner, error)

// PartnerAuthenticator builds a credential checker with its own cache of
// verified logins, on the same rules as /v1's (one bcrypt comparison per
// attempt, whatever the outcome).
func (s *Service) PartnerAuthenticator() PartnerAuthenticator {
	return newAuthenticator(s.store, s.failures).partner
}

// LoanByIdempotencyKey finds the partner's loan submitted with key; a key
// never used is a KindNotFound *Error.
func (s *Service) LoanByIdempotencyKey(ctx context.Context, p *models.Partner, key string) (*models.Loan, error) {
	loan, err := s.store.FindLoanByIdempotencyKey(ctx, p.ID, key)
	if errors.Is(err, models.ErrNotFound) {
		return nil, errLoanNotFound
	}
	if err != nil {
		return nil, unavailable(err)
	}
	return loan, nil
}

// Documents lists the documents of one of the partner's loans, without
// their content, in upload order.
func (s *Service) Documents(ctx context.Context, p *models.Partner, ref int64) ([]models.Document, error) {
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return nil, err
	}
	docs, err := s.store.Documents(ctx, ref)
	if err != nil {
		return nil, unavailable(err)
	}
	return docs, nil
}

// Transactions lists the pay-out and the repayments of one of the partner's
// loans, oldest first.
func (s *Service) Transactions(ctx context.Context, p *models.Partner, ref int64) ([]models.Transaction, error) {
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return nil, err
	}
	txs, err := s.store.Transactions(ctx, ref)
	if err != nil {
		return nil, unavailable(err)
	}
	return txs, nil
}

// applicationDocumentKinds are the files an application may carry.
var applicationDocumentKinds = map[string]bool{
	models.DocIDCopy:           true,
	models.DocDataVerification: true,
}

// UploadApplicationDocument stores a file sent with an application (a copy
// of the identity document, or the data verification form) and tells the
// workflow, which accepts them while the loan is SUBMITTED or APPROVED. It
// differs from UploadDocument in the kinds it takes: /v1 has no
// data_verification. A refused file is deleted again, as there.
func (s *Service) UploadApplicationDocument(ctx context.Context, p *models.Partner, ref int64, up DocumentUpload) (*models.Document, error) {
	var errs FieldErrors
	if !applicationDocumentKinds[up.Kind] {
		errs.Add("kind", "must be one of id_copy, data_verification")
	}
	if len(up.Data) == 0 {
		errs.Add("file", "required and must not be empty")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(up.Data) > MaxDocumentSize {
		return nil, &Error{Kind: KindTooLarge, Detail: fmt.Sprintf("the file is larger than %d bytes", MaxDocumentSize)}
	}
	ctype := http.DetectContentType(up.Data)
	if !documentTypes[ctype] {
		return nil, &Error{Kind: KindUnsupportedMediaType, Detail: "the file must be a JPEG, PNG or PDF, not " + ctype}
	}
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return nil, err
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
		return nil, unavailable(err)
	}
	req := workflows.DocumentRequest{Actor: partnerActor(p), Kind: up.Kind, DocumentID: doc.ID}
	if _, err := s.engine.Update(ctx, ref, workflows.UpdateSubmitDocument, fmt.Sprintf("doc-%d", doc.ID), req); err != nil {
		// As in UploadDocument: after an outage the Update may have been
		// applied, so only a definite refusal removes the file.
		if KindOf(err) != KindUnavailable {
			if derr := s.store.DB.WithContext(context.WithoutCancel(ctx)).Delete(&models.Document{}, doc.ID).Error; derr != nil {
				s.log.Error("delete refused document", "ref", ref, "document", doc.ID, "error", derr)
			}
		}
		return nil, err
	}
	doc.Data = nil
	return doc, nil
}
