package console

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/loanflow/loanflow/models"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// page is what the layout renders around a page's own content.
type page struct {
	Title   string
	Staff   *models.Staff // nil on the sign-in page
	CSRF    string
	Flash   string
	Error   string
	Version string
	Path    string
	Body    any
}

func (c *console) funcs() template.FuncMap {
	return template.FuncMap{
		"money":    formatMoney,
		"percent":  formatPercent,
		"day":      formatDay,
		"instant":  c.formatInstant,
		"duration": formatDuration,
		"bytes":    formatBytes,
		"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"status":   statusLabel,
		"tone":     statusTone,
		"role":     roleLabel,
		"kind":     documentKindLabel,
		"actor":    actorName,
		"dayPtr": func(t *time.Time) string {
			if t == nil {
				return "—"
			}
			return formatDay(*t)
		},
		"decimalString": func(d decimal.Decimal) string { return d.String() },
		"active":        func(p, prefix string) bool { return strings.HasPrefix(p, prefix) },
		"args": func(name, label, value string, errs map[string]string, hint string) fieldArgs {
			return fieldArgs{Name: name, Label: label, Value: value, Errors: errs, Hint: hint}
		},
		"table":  func(id string, view any) tableArgs { return tableArgs{ID: id, View: view} },
		"button": func(url, label, csrf string) buttonArgs { return buttonArgs{URL: url, Label: label, CSRF: csrf} },
		"long": func(name, label, value string, errs map[string]string, hint string) fieldArgs {
			return fieldArgs{Name: name, Label: label, Value: value, Errors: errs, Hint: hint, Long: true}
		},
		"choices": func(name, label, value string, options []option, errs map[string]string, hint string) fieldArgs {
			return fieldArgs{Name: name, Label: label, Value: value, Options: options, Errors: errs, Hint: hint}
		},
	}
}

// fieldArgs feed the "field" template block.
type fieldArgs struct {
	Name, Label, Value, Hint string
	Options                  []option // a select's
	Long                     bool     // a textarea
	Errors                   map[string]string
}

// buttonArgs feed the "button" template block.
type buttonArgs struct{ URL, Label, CSRF string }

// tableArgs feed the "listing" template block: the table's id and the
// listing view, which has Rows and embeds a pager.
type tableArgs struct {
	ID   string
	View any
}

// parsePages parses each page template together with the layout and the
// blocks pages share.
func (c *console) parsePages() map[string]*template.Template {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" || base == "blocks" {
			continue
		}
		pages[base] = template.Must(template.New(base).Funcs(c.funcs()).ParseFS(templateFiles, "templates/layout.html", "templates/blocks.html", n))
	}
	return pages
}

// render writes a full page. A pending flash message of the session is
// shown once and cleared.
func (c *console) render(gc *gin.Context, status int, name, title string, body any, errMsg string) {
	p := page{Title: title, Error: errMsg, Version: c.assetVersion, Path: gc.Request.URL.Path, Body: body}
	if v, ok := gc.Get(ctxStaff); ok {
		p.Staff = v.(*models.Staff)
		sess := sessionOf(gc)
		p.CSRF = sess.CSRFToken
		if sess.Flash != "" {
			p.Flash = sess.Flash
			if err := c.store.SetConsoleSessionFlash(gc.Request.Context(), sess.ID, ""); err != nil {
				c.log.Warn("clear flash", "error", err)
			}
			sess.Flash = ""
		}
	}
	var buf bytes.Buffer
	if err := c.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		c.log.Error("render console page", "page", name, "error", err)
		gc.String(http.StatusInternalServerError, "the page could not be rendered")
		return
	}
	gc.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// errorView is the body of the error page.
type errorView struct {
	Heading string
	Message string
}

func (c *console) renderError(gc *gin.Context, status int, heading, msg string) {
	c.render(gc, status, "error", heading, errorView{Heading: heading, Message: msg}, "")
}

// outage answers a failure of the database or the engine: logged with its
// cause, shown without it.
func (c *console) outage(gc *gin.Context, op string, err error) {
	c.log.Error("console: "+op, "error", err, "path", gc.Request.URL.Path)
	c.renderError(gc, http.StatusServiceUnavailable, "Temporarily unavailable",
		"The database or the loan engine did not answer. Try again in a minute.")
	gc.Abort()
}

// redirectWithFlash sends the browser to `to`, showing msg there once.
func (c *console) redirectWithFlash(gc *gin.Context, to, msg string) {
	sess := sessionOf(gc)
	if err := c.store.SetConsoleSessionFlash(context.WithoutCancel(gc.Request.Context()), sess.ID, msg); err != nil {
		c.log.Warn("set flash", "error", err)
	}
	gc.Redirect(http.StatusSeeOther, to)
}

// assetVersion is a digest of the static files, appended to their URLs.
func assetVersion() string {
	h := sha256.New()
	_ = fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := staticFiles.ReadFile(p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// static serves the stylesheet and the script. Their URLs carry the asset
// version, so browsers may keep them for a day.
func (c *console) static(gc *gin.Context) {
	name := path.Base(gc.Param("file"))
	b, err := staticFiles.ReadFile("static/" + name)
	if err != nil {
		gc.Status(http.StatusNotFound)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	gc.Header("Cache-Control", "public, max-age=86400")
	gc.Header("X-Content-Type-Options", "nosniff")
	gc.Data(http.StatusOK, ctype, b)
}
