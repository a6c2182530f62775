package service

import (
	"archive/zip"
	"bytes"
	"image"
	_ "image/jpeg" // image.DecodeConfig reads JPEG and PNG
	_ "image/png"

	"github.com/loanflow/loanflow/internal/failure"
)

// pdfTrailerWindow is how near its end a PDF must say %%EOF.
const pdfTrailerWindow = 1024

// checkFile refuses a file that is not what its first bytes say: a PDF
// without its end-of-file trailer, an image whose header does not decode,
// and any file that is also a ZIP archive (a "%PDF-" + ZIP polyglot passes
// a type sniff and hands whoever opens it as an archive what the partner
// hid there). Staff open these files in their browser.
func checkFile(ctype string, data []byte) error {
	bad := func(msg string) error {
		return &failure.Error{Kind: failure.KindUnsupportedMediaType, Detail: "the file is not a plain JPEG, PNG or PDF",
			Fields: failure.FieldErrors{{Field: "file", Message: msg}}}
	}
	if _, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil {
		return bad("is also a ZIP archive")
	}
	switch ctype {
	case "application/pdf":
		if !bytes.Contains(data[max(0, len(data)-pdfTrailerWindow):], []byte("%%EOF")) {
			return bad("is not a complete PDF: it has no %%EOF trailer")
		}
	case "image/jpeg", "image/png":
		if _, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil {
			return bad("is not a readable " + ctype + " image")
		}
	}
	return nil
}
