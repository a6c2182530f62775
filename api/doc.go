// Package api is loanflow's HTTP edge: the partner API under /v1, the back
// office under /backoffice/v1 and the health probes, served by Gin.
//
// Handlers are thin: they decode the request, call the transport-agnostic
// Service and encode its answer, so that the Iute-compatible XML façade can
// drive the same Service. The Service reads loans from the database (models)
// and changes them only through the loan's Temporal workflow (Engine), which
// owns every state transition. Errors leave as RFC 9457 problem documents.
package api
