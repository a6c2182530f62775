package openapi

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed page.html.tmpl
var pageTemplate string

// Page is the human page of the document: every operation with its
// parameters, request body and answers, and every schema, as plain HTML
// with its style inline, so it works with no script and nothing fetched
// from elsewhere. It is rendered once, from JSON.
var Page = sync.OnceValues(func() ([]byte, error) {
	doc, err := openapi3.NewLoader().LoadFromData(JSON)
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI document: %w", err)
	}
	view := newPageView(doc)
	t, err := template.New("page").Parse(pageTemplate)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := t.Execute(&out, view); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
})

// Validate loads the document as kin-openapi reads OpenAPI 3.1 and checks
// it is a valid one.
func Validate(ctx context.Context) error {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(JSON)
	if err != nil {
		return err
	}
	return doc.Validate(ctx)
}

type pageView struct {
	Title, Version, Summary string
	Description             []string // paragraphs
	Schemes                 []schemeView
	Tags                    []tagView
	Schemas                 []schemaView
}

type schemeView struct{ Name, Kind, Description string }

type tagView struct {
	Name, Description string
	Ops               []opView
}

type opView struct {
	ID, Method, Path, Summary, Description string
	Auth                                   string
	Params                                 []fieldView
	Body                                   *bodyView
	Responses                              []responseView
}

type bodyView struct {
	Required bool
	Media    []mediaView
}

type mediaView struct {
	Type   string
	Schema label
}

type responseView struct {
	Status, Description string
	Media               []mediaView
	Headers             []fieldView
}

// fieldView is a parameter, a header or a member of a schema.
type fieldView struct {
	Name, In    string
	Required    bool
	Type        label
	Description string
}

type schemaView struct {
	Name, Description string
	// Type describes a schema that is not an object with members: a
	// scalar, a choice of others.
	Type label
	// Extends are the schemas whose members this one has too.
	Extends []label
	Props   []fieldView
}

// label is a type as the page writes it: text and links to schemas.
type label []labelPart

type labelPart struct{ Text, Schema string }

const schemaPrefix = "#/components/schemas/"

var methodOrder = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

func newPageView(doc *openapi3.T) pageView {
	v := pageView{Title: doc.Info.Title, Version: doc.Info.Version, Summary: doc.Info.Summary}
	for _, p := range strings.Split(doc.Info.Description, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			v.Description = append(v.Description, p)
		}
	}
	for _, name := range sortedKeys(doc.Components.SecuritySchemes) {
		s := doc.Components.SecuritySchemes[name].Value
		v.Schemes = append(v.Schemes, schemeView{Name: name, Kind: s.Type + " " + s.Scheme, Description: s.Description})
	}
	byTag := map[string][]opView{}
	paths := doc.Paths.Keys()
	sort.Strings(paths)
	for _, path := range paths {
		ops := doc.Paths.Value(path).Operations()
		for _, method := range methodOrder {
			op := ops[method]
			if op == nil {
				continue
			}
			tag := ""
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			byTag[tag] = append(byTag[tag], newOpView(doc, method, path, op))
		}
	}
	for _, t := range doc.Tags {
		v.Tags = append(v.Tags, tagView{Name: t.Name, Description: t.Description, Ops: byTag[t.Name]})
		delete(byTag, t.Name)
	}
	for _, name := range sortedKeys(byTag) {
		v.Tags = append(v.Tags, tagView{Name: name, Ops: byTag[name]})
	}
	for _, name := range sortedKeys(doc.Components.Schemas) {
		v.Schemas = append(v.Schemas, newSchemaView(doc, name, doc.Components.Schemas[name].Value))
	}
	return v
}

func newOpView(doc *openapi3.T, method, path string, op *openapi3.Operation) opView {
	o := opView{ID: op.OperationID, Method: method, Path: path, Summary: op.Summary, Description: op.Description}
	security := doc.Security
	if op.Security != nil {
		security = *op.Security
	}
	var auth []string
	for _, req := range security {
		auth = append(auth, sortedKeys(req)...)
	}
	o.Auth = "none"
	if len(auth) > 0 {
		o.Auth = strings.Join(auth, " or ")
	}
	for _, p := range op.Parameters {
		pv := p.Value
		o.Params = append(o.Params, fieldView{Name: pv.Name, In: pv.In, Required: pv.Required,
			Type: typeOf(pv.Schema), Description: pv.Description})
	}
	if rb := op.RequestBody; rb != nil && rb.Value != nil {
		o.Body = &bodyView{Required: rb.Value.Required, Media: mediaOf(rb.Value.Content)}
	}
	for _, status := range sortedKeys(op.Responses.Map()) {
		r := op.Responses.Value(status).Value
		rv := responseView{Status: status, Media: mediaOf(r.Content)}
		if r.Description != nil {
			rv.Description = *r.Description
		}
		for _, name := range sortedKeys(r.Headers) {
			h := r.Headers[name].Value
			rv.Headers = append(rv.Headers, fieldView{Name: name, Required: h.Required, Type: typeOf(h.Schema), Description: h.Description})
		}
		o.Responses = append(o.Responses, rv)
	}
	return o
}

func mediaOf(content openapi3.Content) []mediaView {
	var out []mediaView
	for _, mt := range sortedKeys(content) {
		m := mediaView{Type: mt}
		if s := content[mt].Schema; s != nil {
			m.Schema = typeOf(s)
		}
		out = append(out, m)
	}
	return out
}

func newSchemaView(doc *openapi3.T, name string, s *openapi3.Schema) schemaView {
	v := schemaView{Name: name, Description: s.Description}
	members := []*openapi3.Schema{s}
	for _, part := range s.AllOf {
		if part.Ref != "" {
			v.Extends = append(v.Extends, typeOf(part))
			continue
		}
		members = append(members, part.Value)
	}
	for _, m := range members {
		v.Props = append(v.Props, propsOf(doc, m)...)
	}
	if len(v.Props) == 0 && len(v.Extends) == 0 {
		v.Type = typeOf(&openapi3.SchemaRef{Value: s})
	}
	return v
}

func propsOf(doc *openapi3.T, s *openapi3.Schema) []fieldView {
	var out []fieldView
	for _, name := range sortedKeys(s.Properties) {
		p := s.Properties[name]
		desc := p.Value.Description
		// A member that refers to a schema shows its own description
		// only: the schema's is on the schema.
		if target, ok := strings.CutPrefix(p.Ref, schemaPrefix); ok {
			if c := doc.Components.Schemas[target]; c != nil && c.Value != nil && c.Value.Description == desc {
				desc = ""
			}
		}
		out = append(out, fieldView{Name: name, Required: slices.Contains(s.Required, name), Type: typeOf(p), Description: desc})
	}
	return out
}

// typeOf writes a schema's type: a link to a named schema, the types it
// admits, the choices it composes, the values it enumerates.
func typeOf(ref *openapi3.SchemaRef) label {
	if ref == nil {
		return label{{Text: "any"}}
	}
	if name, ok := strings.CutPrefix(ref.Ref, schemaPrefix); ok {
		return label{{Text: name, Schema: name}}
	}
	s := ref.Value
	if s == nil {
		return label{{Text: "any"}}
	}
	if choices := append(append([]*openapi3.SchemaRef{}, s.OneOf...), s.AnyOf...); len(choices) > 0 {
		return join(choices, " or ")
	}
	if len(s.AllOf) > 0 {
		return join(s.AllOf, " and ")
	}
	var out label
	types := s.Type.Slice()
	if len(types) == 0 {
		types = []string{"any"}
	}
	for i, t := range types {
		if i > 0 {
			out = append(out, labelPart{Text: " or "})
		}
		switch {
		case t == "array":
			out = append(out, labelPart{Text: "array of "})
			out = append(out, typeOf(s.Items)...)
		case t == "string" && s.ContentMediaType != "":
			out = append(out, labelPart{Text: "file"})
		case s.Format != "" && t != "null":
			out = append(out, labelPart{Text: t + " (" + s.Format + ")"})
		default:
			out = append(out, labelPart{Text: t})
		}
	}
	if len(s.Enum) > 0 {
		values := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			if str, ok := e.(string); ok {
				values[i] = str
			} else {
				b, _ := json.Marshal(e)
				values[i] = string(b)
			}
		}
		out = append(out, labelPart{Text: ": one of " + strings.Join(values, ", ")})
	}
	if s.Pattern != "" {
		out = append(out, labelPart{Text: ", matching " + s.Pattern})
	}
	if s.MaxLength != nil {
		out = append(out, labelPart{Text: fmt.Sprintf(", at most %d characters", *s.MaxLength)})
	}
	switch {
	case s.Min != nil && s.Max != nil:
		out = append(out, labelPart{Text: fmt.Sprintf(", %g to %g", *s.Min, *s.Max)})
	case s.Min != nil:
		out = append(out, labelPart{Text: fmt.Sprintf(", at least %g", *s.Min)})
	case s.Max != nil:
		out = append(out, labelPart{Text: fmt.Sprintf(", at most %g", *s.Max)})
	}
	return out
}

func join(refs []*openapi3.SchemaRef, sep string) label {
	var out label
	for i, r := range refs {
		if i > 0 {
			out = append(out, labelPart{Text: sep})
		}
		out = append(out, typeOf(r)...)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
