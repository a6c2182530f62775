// Package openapi holds loanflow's OpenAPI 3.1 document of the partner API
// (/v1) and the back office (/backoffice/v1). It is written by hand, served
// as it is at GET /v1/openapi.json, and every request and response of the
// api package's tests is validated against it, so it says what the code
// does.
package openapi

import _ "embed"

// JSON is the document, byte for byte as it is kept in the repository.
//
//go:embed openapi.json
var JSON []byte
