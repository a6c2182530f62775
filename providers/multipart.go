package providers

import (
	"bytes"
	"fmt"
	"maps"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
)

// File is a document a client uploads.
type File struct {
	Name        string // file name as sent, e.g. "id_doc.jpg"
	ContentType string // empty: sniffed from Data
	Data        []byte
}

// FormFile is one file part of a multipart/form-data body.
type FormFile struct {
	Field string
	File  File
}

// MultipartBody encodes values, in key order so a body is reproducible, then files, as
// multipart/form-data; it returns the body and its Content-Type.
func MultipartBody(values url.Values, files []FormFile) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range slices.Sorted(maps.Keys(values)) {
		for _, v := range values[k] {
			if err := mw.WriteField(k, v); err != nil {
				return nil, "", err
			}
		}
	}
	for _, f := range files {
		h := make(textproto.MIMEHeader)
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, f.Field, f.File.Name))
		ct := f.File.ContentType
		if ct == "" {
			ct = http.DetectContentType(f.File.Data)
		}
		h.Set("Content-Type", ct)
		w, err := mw.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		if _, err := w.Write(f.File.Data); err != nil {
			return nil, "", err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}
