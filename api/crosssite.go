package api

import (
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/loanflow/loanflow/internal/failure"
)

// refuseCrossSite stops a browser that has cached a partner's or staff
// member's Basic credentials from being used by another site: a form on an
// attacker's page can POST there, and the browser would attach the
// credentials. Such a request either says so (Sec-Fetch-Site: cross-site) or
// carries a form encoding that a JSON API never receives.
func (h *handlers) refuseCrossSite(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead || c.Request.Method == http.MethodOptions {
		c.Next()
		return
	}
	if c.GetHeader("Sec-Fetch-Site") == "cross-site" {
		writeProblem(c, http.StatusForbidden, "cross-site-request", "requests from other sites are refused", nil)
		return
	}
	if ct := c.GetHeader("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && mt != "multipart/form-data") {
			writeProblem(c, http.StatusUnsupportedMediaType, "unsupported-media-type",
				"send application/json (or multipart/form-data for documents)", []failure.FieldError{{Field: "Content-Type", Message: "unsupported: " + ct}})
			return
		}
	}
	c.Next()
}
