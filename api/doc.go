// Package api is loanflow's HTTP edge: the partner API under /v1, the back
// office under /backoffice/v1 and the health probes, served by Gin.
//
// Handlers are thin: they decode the request, call the transport-agnostic
// Service and encode its answer, so that the Iute-compatible XML façade can
// drive the same Service. The Service reads loans from the database (models)
// and changes them only through the loan's Temporal workflow (Engine), which
// owns every state transition. Errors leave as RFC 9457 problem documents.
//
// A /v1 request is authenticated, then taken from the partner's token
// bucket (service.AdmitPartner, shared with the façade); over the limit it
// is a 429 before any handler runs.
package api
