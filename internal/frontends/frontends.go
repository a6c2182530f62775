// Package frontends puts every HTTP front end of loanflow on one router:
// the partner and back-office JSON APIs, the Iute-compatible partner façade
// and the back-office console. All of them call the same api.Service.
package frontends

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/api"
	"github.com/loanflow/loanflow/api/iute"
)

// Router is the whole HTTP surface of loanflow.
func Router(d api.Deps) *gin.Engine {
	logger := d.Logger
	if logger == nil {
		logger = slog.Default()
	}
	d.Extensions = append(d.Extensions, iute.Extension(iute.Options{Logger: logger}), api.ExternalLoans(d.Store))
	return api.NewRouter(d)
}
