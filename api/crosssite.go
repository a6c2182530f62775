package api

import (
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
)

// crossOrigin refuses what a browser sends from another site: a browser
// that has cached a partner's or staff member's Basic credentials attaches
// them to a form an attacker's page posts here. Go's CrossOriginProtection
// reads the browser's own Sec-Fetch-Site and Origin headers; servers
// calling the API send neither and pass.
var crossOrigin = http.NewCrossOriginProtection()

// refuseCrossSite is the cross-origin check of every unsafe method.
func (h *handlers) refuseCrossSite(c *gin.Context) {
	if err := crossOrigin.Check(c.Request); err != nil {
		writeProblem(c, http.StatusForbidden, "cross-site-request", "requests from other sites are refused", nil)
		return
	}
	c.Next()
}

// accept admits a POST whose body is of media type mediaType, even an empty
// one: a form encoding, which a browser may send across sites without
// asking, or no type at all is refused (415), naming Content-Type.
func accept(mediaType string) gin.HandlerFunc {
	return func(c *gin.Context) {
		ct := c.GetHeader("Content-Type")
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != mediaType {
			msg := "required: " + mediaType
			if ct != "" {
				msg = "unsupported: " + ct + "; send " + mediaType
			}
			writeProblem(c, http.StatusUnsupportedMediaType, "unsupported-media-type",
				"the request body must be "+mediaType, []failure.FieldError{{Field: "Content-Type", Message: msg}})
			return
		}
		c.Next()
	}
}

// The media types of the APIs' bodies.
var (
	acceptJSON      = accept("application/json")
	acceptMultipart = accept("multipart/form-data")
)
