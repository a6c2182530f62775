package sim

import (
	"fmt"
	"net/http"
	"strconv"
)

// reply is a handler's answer, written (or dropped) by ServeHTTP.
type reply struct {
	status int
	body   any
}

func ok(body any) reply { return reply{status: http.StatusOK, body: body} }

// errorBody is Fineract's error envelope (seed L431-461, L22311-22321). httpStatusCode is a string, as
// in every documented example.
type errorBody struct {
	DeveloperMessage             string        `json:"developerMessage"`
	DeveloperDocLink             string        `json:"developerDocLink,omitempty"`
	HTTPStatusCode               string        `json:"httpStatusCode"`
	DefaultUserMessage           string        `json:"defaultUserMessage"`
	UserMessageGlobalisationCode string        `json:"userMessageGlobalisationCode"`
	Errors                       []errorDetail `json:"errors"`
}

type errorDetail struct {
	DeveloperMessage             string `json:"developerMessage"`
	DefaultUserMessage           string `json:"defaultUserMessage"`
	UserMessageGlobalisationCode string `json:"userMessageGlobalisationCode"`
	ParameterName                string `json:"parameterName"`
	Value                        any    `json:"value"`
	Args                         []any  `json:"args"`
}

const docLink = "https://github.com/openMF/mifosx/wiki/HTTP-API-Error-codes"

func errorReply(status int, developer, user, code string, details []errorDetail) reply {
	if details == nil {
		details = []errorDetail{}
	}
	return reply{status: status, body: errorBody{
		DeveloperMessage: developer, DeveloperDocLink: docLink, HTTPStatusCode: strconv.Itoa(status),
		DefaultUserMessage: user, UserMessageGlobalisationCode: code, Errors: details,
	}}
}

func detail(param, code, msg string, value any) errorDetail {
	return errorDetail{DeveloperMessage: msg, DefaultUserMessage: msg, UserMessageGlobalisationCode: code,
		ParameterName: param, Value: value, Args: []any{}}
}

// validation is the 400 of L431-461.
func validation(details ...errorDetail) reply {
	return errorReply(http.StatusBadRequest,
		"The request was invalid. This typically will happen due to validation errors which are provided.",
		"Validation errors exist.", "validation.msg.validation.errors.exist", details)
}

// problems collects validation errors for one request.
type problems []errorDetail

func (p *problems) mandatory(resource, param string) {
	*p = append(*p, detail(param, fmt.Sprintf("validation.msg.%s.%s.cannot.be.blank", resource, param),
		fmt.Sprintf("The parameter `%s` is mandatory.", param), nil))
}

func (p *problems) invalid(resource, param, what string, value any) {
	*p = append(*p, detail(param, fmt.Sprintf("validation.msg.%s.%s.%s", resource, param, what),
		fmt.Sprintf("The parameter `%s` %s.", param, humanize(what)), value))
}

func humanize(what string) string {
	switch what {
	case "not.greater.than.zero":
		return "must be greater than 0"
	case "invalid.date.format":
		return "is not a date in the given dateFormat and locale"
	case "invalid.number":
		return "is not a number in the given locale"
	case "is.not.one.of.expected.enumerations":
		return "is not one of the expected values"
	default:
		return "is invalid"
	}
}

// domainRule is a business refusal, 403 as Fineract's PlatformDomainRuleException mapper answers.
func domainRule(code, msg string) reply {
	return errorReply(http.StatusForbidden, "Request was understood but caused a domain rule violation.",
		"Errors contain reason for domain rule violation.", "validation.msg.domain.rule.violation",
		[]errorDetail{detail("id", code, msg, nil)})
}

// dataIntegrity is a unique-constraint refusal, 403 as Fineract's PlatformDataIntegrityException mapper
// answers.
func dataIntegrity(param, code, msg string) reply {
	return errorReply(http.StatusForbidden, "The request caused a data integrity issue to be fired by the database.",
		msg, code, []errorDetail{detail(param, code, msg, nil)})
}

func notFound(code, msg string, id any) reply {
	d := detail("id", code, msg, nil)
	d.Args = []any{map[string]any{"value": id}}
	return errorReply(http.StatusNotFound, "The requested resource is not available.",
		"The requested resource is not available.", "error.msg.resource.not.found", []errorDetail{d})
}

func unauthenticated() reply {
	return errorReply(http.StatusUnauthorized, "Invalid authentication details were passed in api request.",
		"Unauthenticated. Please login.", "error.msg.not.authenticated", nil)
}

func internalError() reply {
	return errorReply(http.StatusInternalServerError, "An unexpected error occurred on the platform server.",
		"Platform internal server error.", "error.msg.platform.server.side.error", nil)
}
