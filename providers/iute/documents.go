package iute

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/loanflow/loanflow/internal/iutewire"
	"github.com/loanflow/loanflow/providers"
)

// Agreement is the specific agreement Iute generates for the client to sign.
type Agreement struct {
	Filename    string // from Content-Disposition, e.g. "specific_agreement_90000_alb.pdf"
	ContentType string
	PDF         []byte
}

// GenerateAgreement downloads the agreement of an approved loan in lang, a three-letter language code.
func (c *Client) GenerateAgreement(ctx context.Context, ref int64, lang string) (*Agreement, error) {
	const op = "generate_agreement"
	values := refQuery(ref)
	values.Set(iutewire.FieldLang, lang)
	r, err := c.do(ctx, call{op: op, iface: iutewire.GenerateAgreement, values: values})
	if err != nil {
		return nil, err
	}
	if len(r.Body) < 5 || string(r.Body[:5]) != "%PDF-" {
		return nil, providers.BadResponseError(Provider, op, http.StatusOK, errors.New("agreement is not a PDF document"), false)
	}
	a := &Agreement{ContentType: r.Header.Get("Content-Type"), PDF: r.Body}
	if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil {
		a.Filename = params["filename"]
	}
	if a.Filename == "" {
		a.Filename = iutewire.AgreementFilename(ref, lang)
	}
	return a, nil
}

// UploadFiles sends the signed agreement and the client's bank statement. Uploading again replaces the
// files, so a retry is harmless.
func (c *Client) UploadFiles(ctx context.Context, ref int64, agreement, bankStatement File) error {
	_, err := c.do(ctx, call{
		op: "upload_files", iface: iutewire.UploadFiles, multipart: true, write: true,
		values: url.Values{iutewire.FieldLoanRefPost: {strconv.FormatInt(ref, 10)}},
		files:  []providers.FormFile{{Field: iutewire.FieldLoanAgreement, File: agreement}, {Field: iutewire.FieldBankStatement, File: bankStatement}},
	})
	return err
}
