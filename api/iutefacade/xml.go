package iutefacade

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/iutewire"
)

// writeXML answers 200 with v.
func (h *handlers) writeXML(c *gin.Context, v any) {
	body, err := iutewire.EncodeXML(v)
	if err != nil {
		// The answer types hold strings only.
		h.fail(c, err, nil)
		return
	}
	c.Data(http.StatusOK, iutewire.ContentTypeXML, body)
}

// formatDate writes dd.MM.yyyy.
func formatDate(t time.Time) string { return t.UTC().Format(iutewire.DateLayout) }
