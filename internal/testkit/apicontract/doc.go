// Package apicontract checks the JSON APIs' exchanges against loanflow's
// OpenAPI document (api/openapi): tests route their requests through
// Checker.Wrap, and every request under /v1 or /backoffice/v1 and its answer
// are validated with kin-openapi's openapi3filter. A mismatch fails the test
// naming the method, the path and what does not match, so the document
// cannot drift from the code.
//
// It is imported by tests only.
package apicontract
