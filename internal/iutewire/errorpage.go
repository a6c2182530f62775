package iutewire

import (
	"bytes"
	"html/template"
	"net/http"
)

// Problem is one thing wrong with a request, about the parameter Field when it names one.
type Problem struct {
	Field   string
	Message string
}

// errorPage is the HTML page an error answers with (the document asks for a page "with errors written
// in the content"): the status, what went wrong, and each problem.
var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>{{.Status}} {{.Title}}</title>
</head>
<body>
<h1>HTTP Status {{.Status}} – {{.Title}}</h1>
{{- if .Message}}
<p>{{.Message}}</p>
{{- end}}
{{- if .Problems}}
<ul>
{{- range .Problems}}
<li>{{if .Field}}<b>{{.Field}}</b>: {{end}}{{.Message}}</li>
{{- end}}
</ul>
{{- end}}
</body>
</html>
`))

type errorView struct {
	Status   int
	Title    string
	Message  string
	Problems []Problem
}

// ErrorPage renders the error page of status: message, when not empty, then the problems.
func ErrorPage(status int, message string, problems []Problem) ([]byte, error) {
	var buf bytes.Buffer
	err := errorPage.Execute(&buf, errorView{Status: status, Title: http.StatusText(status), Message: message, Problems: problems})
	return buf.Bytes(), err
}
