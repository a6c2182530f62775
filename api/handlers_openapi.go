package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/api/openapi"
)

// The contract's routes answer anyone: partners fetch the document to
// generate their clients before they hold credentials, so these routes sit
// outside /v1's group, away from its authentication and its per-partner
// rate limit (there is no partner to count). They read nothing and change
// nothing; a browser from another site may read them too.
const (
	openAPIPath = "/v1/openapi.json"
	docsPath    = "/v1/docs"
)

// pageSecurity lets the human page use its inline style and nothing else:
// no script, no fetch, no frame, nothing from elsewhere.
const pageSecurity = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// openAPIDocument is GET /v1/openapi.json: the document as kept in the
// repository, byte for byte.
func (h *handlers) openAPIDocument(c *gin.Context) {
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "application/json", openapi.JSON)
}

// apiDocs is GET /v1/docs: the document as a page for people, rendered by
// loanflow itself.
func (h *handlers) apiDocs(c *gin.Context) {
	page, err := openapi.Page()
	if err != nil { // the embedded document or template is broken: a bug
		h.log.ErrorContext(c.Request.Context(), "render the API page", "error", err)
		writeProblem(c, http.StatusInternalServerError, "internal", "an internal error occurred", nil)
		return
	}
	c.Header("Content-Security-Policy", pageSecurity)
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "text/html; charset=utf-8", page)
}
