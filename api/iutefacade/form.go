package iutefacade

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/loanflow/loanflow/service"
)

// Body limits: a url-encoded body holds short values only; a multipart body
// may also hold each of the interface's files at the largest document size.
const (
	maxFormBody       = 64 << 10
	maxValueLen       = 4 << 10
	multipartOverhead = 1 << 20
)

// form is a request's parameters: values by name (first one wins, as with a
// servlet's getParameter) and the files of a multipart body.
type form struct {
	values url.Values
	files  map[string]*upload
}

// upload is one file part. An empty one is a file input left unselected.
type upload struct {
	filename string
	data     []byte
}

// value is the trimmed first value of name; present says whether the
// parameter was sent at all, empty or not.
func (f *form) value(name string) (v string, present bool) {
	vs, ok := f.values[name]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return strings.TrimSpace(vs[0]), true
}

// file is the named file part, nil when absent or empty.
func (f *form) file(name string) *upload {
	u := f.files[name]
	if u == nil || len(u.data) == 0 {
		return nil
	}
	return u
}

// formError is a request whose body cannot be read as parameters.
type formError struct{ msg string }

func (e *formError) Error() string { return e.msg }

// readForm collects the parameters: the query string of a GET, the body of
// a POST with the query string as fallback.
func readForm(c *gin.Context, files []string) (*form, error) {
	query, err := url.ParseQuery(c.Request.URL.RawQuery)
	if err != nil {
		return nil, &formError{"The query string is not valid: " + err.Error()}
	}
	f := &form{values: url.Values{}, files: map[string]*upload{}}
	if c.Request.Method == http.MethodPost {
		if err := readBody(c, f, files); err != nil {
			return nil, err
		}
	}
	for k, vs := range query {
		if _, ok := f.values[k]; !ok {
			f.values[k] = vs
		}
	}
	return f, nil
}

func readBody(c *gin.Context, f *form, files []string) error {
	if c.Request.Body == nil {
		c.Request.Body = http.NoBody // a server never leaves it nil; a handler test may
	}
	ct := c.GetHeader("Content-Type")
	if ct == "" {
		// No body type: acceptable only for no body at all, whose
		// parameters are then all missing (or in the query string).
		n, _ := io.Copy(io.Discard, io.LimitReader(c.Request.Body, 1))
		if n == 0 {
			return nil
		}
		return &formError{"The request has a body but no Content-Type: send multipart/form-data or application/x-www-form-urlencoded."}
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	switch {
	case err != nil:
		return &formError{"The Content-Type header is malformed: " + err.Error()}
	case mediaType == "application/x-www-form-urlencoded":
		return readURLEncoded(c, f)
	case mediaType == "multipart/form-data":
		if params["boundary"] == "" {
			return &formError{"The multipart/form-data Content-Type has no boundary."}
		}
		return readMultipart(c, f, params["boundary"], files)
	default:
		return &formError{"Content-Type " + mediaType + " is not accepted: send multipart/form-data or application/x-www-form-urlencoded."}
	}
}

func readURLEncoded(c *gin.Context, f *form) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBody))
	if err != nil {
		return bodyError(err)
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return &formError{"The body is not valid application/x-www-form-urlencoded data: " + err.Error()}
	}
	f.values = values
	return nil
}

// readMultipart streams the parts: values are bounded, files are held in
// memory up to the document size limit and never touch the disk.
func readMultipart(c *gin.Context, f *form, boundary string, files []string) error {
	limit := int64(len(files))*service.MaxDocumentSize + multipartOverhead
	mr := multipart.NewReader(http.MaxBytesReader(c.Writer, c.Request.Body, limit), boundary)
	isFile := map[string]bool{}
	for _, name := range files {
		isFile[name] = true
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return bodyError(err)
		}
		name := part.FormName()
		switch {
		case name == "":
			if _, err := io.Copy(io.Discard, part); err != nil {
				return bodyError(err)
			}
		case isFile[name]:
			data, err := io.ReadAll(io.LimitReader(part, service.MaxDocumentSize+1))
			if err != nil {
				return bodyError(err)
			}
			if len(data) > service.MaxDocumentSize {
				return &formError{fmt.Sprintf("The file %s is larger than %d bytes.", name, service.MaxDocumentSize)}
			}
			if prev := f.files[name]; prev == nil || len(prev.data) == 0 {
				f.files[name] = &upload{filename: part.FileName(), data: data}
			}
		default:
			data, err := io.ReadAll(io.LimitReader(part, maxValueLen+1))
			if err != nil {
				return bodyError(err)
			}
			if len(data) > maxValueLen {
				return &formError{fmt.Sprintf("The value of %s is longer than %d bytes.", name, maxValueLen)}
			}
			f.values[name] = append(f.values[name], string(data))
		}
	}
}

func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return &formError{fmt.Sprintf("The request body is larger than %d bytes.", tooLarge.Limit)}
	}
	return &formError{"The request body is not well-formed: " + err.Error()}
}
