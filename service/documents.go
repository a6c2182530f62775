package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/workflows"
	"gorm.io/gorm"
)

// MaxDocumentSize is the largest file a partner may upload.
const MaxDocumentSize = 10 << 20

// documentTypes are the accepted sniffed content types.
var documentTypes = map[string]bool{
	"image/jpeg":      true,
	"image/png":       true,
	"application/pdf": true,
}

// DocumentUpload is a file the partner sends for a loan.
type DocumentUpload struct {
	Kind     lending.DocumentKind
	Filename string
	Data     []byte
}

// UploadDocument stores the file and tells the workflow about it, which
// decides whether the loan takes a file of that kind now (the signed
// agreement and bank statement once approved, the identity copy and data
// verification with the application, JULO's images while it onboards). If
// the workflow refuses it, the stored file is deleted again, so no document
// exists that the loan does not know of. With an idempotency key, the file
// and its key are stored together, and a retry answers the first upload.
func (s *Service) UploadDocument(ctx context.Context, p *models.Partner, ref int64, up DocumentUpload, key string) (*models.Document, Outcome, error) {
	var errs failure.FieldErrors
	switch {
	case up.Kind == "":
		errs.Add("kind", "required")
	case !up.Kind.PartnerUploadable():
		errs.Add("kind", "must be one of %s", kindList(lending.PartnerDocuments))
	}
	if len(up.Data) == 0 {
		errs.Add("file", "required and must not be empty")
	} else if strings.ContainsFunc(up.Filename, isBidiControl) {
		errs.Add("file", "its name must not contain bidirectional control characters")
	}
	if err := errs.Err(); err != nil {
		return nil, Outcome{}, err
	}
	if len(up.Data) > MaxDocumentSize {
		return nil, Outcome{}, ErrFileTooLarge
	}
	// The client's Content-Type is not trusted: the bytes decide.
	ctype := http.DetectContentType(up.Data)
	if !documentTypes[ctype] {
		return nil, Outcome{}, &failure.Error{Kind: failure.KindUnsupportedMediaType, Detail: "the file must be a JPEG, PNG or PDF, not " + ctype}
	}
	if up.Kind.Image() && ctype == "application/pdf" {
		return nil, Outcome{}, &failure.Error{Kind: failure.KindUnsupportedMediaType, Detail: "a " + string(up.Kind) + " must be a JPEG or PNG image"}
	}
	if err := checkFile(ctype, up.Data); err != nil {
		return nil, Outcome{}, err
	}
	if _, err := s.partnerLoan(ctx, p, ref); err != nil {
		return nil, Outcome{}, err
	}
	sum := sha256.Sum256(up.Data)
	doc := &models.Document{
		LoanRef:     ref,
		Kind:        up.Kind,
		Filename:    cleanFilename(up.Filename),
		ContentType: ctype,
		Size:        int64(len(up.Data)),
		SHA256:      hex.EncodeToString(sum[:]),
		Status:      lending.DocStatusSubmitted,
		Data:        up.Data,
		UploadedBy:  partnerActor(p),
		CreatedAt:   s.now().UTC(),
	}
	var claim *models.IdempotencyKey
	replayed := false
	if key == "" {
		if err := s.store.AddDocument(ctx, doc); err != nil {
			return nil, Outcome{}, failure.Unavailable(err)
		}
	} else {
		var err error
		request := struct{ Kind, Filename, SHA256 string }{string(doc.Kind), doc.Filename, doc.SHA256}
		claim, replayed, err = s.claim(ctx, keyed{actor: doc.UploadedBy, action: workflows.UpdateSubmitDocument, ref: ref, key: key, request: request},
			func(tx *gorm.DB, c *models.IdempotencyKey) error {
				if err := s.store.WithTx(tx).AddDocument(ctx, doc); err != nil {
					return err
				}
				c.ResourceID = doc.ID
				return nil
			})
		if err != nil {
			return nil, Outcome{}, err
		}
		if replayed {
			if doc, err = s.store.GetDocument(ctx, ref, claim.ResourceID); err != nil {
				return nil, Outcome{}, failure.Unavailable(err)
			}
		}
	}
	req := workflows.DocumentRequest{Actor: partnerActor(p), Kind: doc.Kind, DocumentID: doc.ID}
	loan, err := s.transition(ctx, ref, workflows.UpdateSubmitDocument, fmt.Sprintf("doc-%d", doc.ID), req)
	if err != nil {
		// Only a definite refusal undoes the insert: after an outage the
		// Update may still have been applied, and a document the workflow
		// refers to must not vanish.
		if failure.KindOf(err) != failure.KindUnavailable {
			if derr := s.store.DB.WithContext(context.WithoutCancel(ctx)).Delete(&models.Document{}, doc.ID).Error; derr != nil {
				s.log.Error("delete refused document", "ref", ref, "document", doc.ID, "error", derr)
			}
			if claim != nil {
				s.unclaim(ctx, claim)
			}
		}
		return nil, Outcome{}, err
	}
	doc.Data = nil
	return doc, Outcome{Loan: loan, Replayed: replayed}, nil
}

// ErrFileTooLarge answers a file over MaxDocumentSize.
var ErrFileTooLarge = &failure.Error{Kind: failure.KindTooLarge, Detail: fmt.Sprintf("the file is larger than %d bytes", MaxDocumentSize)}

func kindList(kinds []lending.DocumentKind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
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
