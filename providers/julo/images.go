package julo

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/loanflow/loanflow/providers"
)

// ImageType says what an uploaded image shows.
type ImageType string

// Image types JULO accepts. KTP and selfie are required before the application data is completed.
const (
	ImageKTP                 ImageType = "ktp_self"
	ImageCropSelfie          ImageType = "crop_selfie"
	ImageSelfie              ImageType = "selfie"
	ImageBankStatement       ImageType = "bank_statement"
	ImagePaystub             ImageType = "paystub"
	ImageKTPPrivy            ImageType = "ktp_privy"
	ImageDriversLicensePrivy ImageType = "drivers_license_privy"
	ImageJustSelfiePrivy     ImageType = "just_selfie_privy"
	ImageFamilyCardPrivy     ImageType = "foto_kartu_keluraga_privy"
	ImageEKTPPrivy           ImageType = "e_ktp_privy"
	ImageSelfiePrivy         ImageType = "selfie_privy"
	ImagePassportPrivy       ImageType = "passport_privy"
	ImagePassportSelfiePrivy ImageType = "passport_selfie_privy"
)

// File is an image to upload.
type File = providers.File

// UploadImage uploads one image of an application. Uploading the same type again replaces it.
func (c *Client) UploadImage(ctx context.Context, applicationXID int64, typ ImageType, f File) error {
	return c.do(ctx, call{
		op: "upload_image", method: http.MethodPost,
		path:   "/applications/" + strconv.FormatInt(applicationXID, 10) + "/images",
		fields: url.Values{"image_type": {string(typ)}}, files: []providers.FormFile{{Field: "upload", File: f}},
	}, nil)
}
