package apicontract

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// closedSuffix names the closed twin of a schema that others extend.
const closedSuffix = "Closed"

const schemaRefPrefix = "#/components/schemas/"

// closeObjects returns the document with every object schema closed to the
// members it names (unevaluatedProperties: false), so that an answer
// carrying a member the document does not name fails the tests. The served
// document stays open (clients ignore members they do not know, and loanflow
// may add some); the tests hold the code to naming each one first.
//
// A schema that others extend through allOf stays open, or its extensions
// could add nothing; its other uses point at a closed twin instead:
// {"allOf": [that schema], "unevaluatedProperties": false}. A schema that
// says itself whether it is open (additionalProperties or
// unevaluatedProperties) is left as it is.
func closeObjects(raw []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	if schemas == nil {
		return nil, fmt.Errorf("the document has no components.schemas")
	}
	extended := map[string]bool{}
	walk(doc, false, func(node map[string]any, inAllOf bool) {
		if !inAllOf {
			return
		}
		if name, ok := strings.CutPrefix(refOf(node), schemaRefPrefix); ok {
			extended[name] = true
		}
	})
	walk(doc, false, func(node map[string]any, inAllOf bool) {
		if name, ok := strings.CutPrefix(refOf(node), schemaRefPrefix); ok && extended[name] && !inAllOf {
			node["$ref"] = schemaRefPrefix + name + closedSuffix
		}
	})
	open := map[uintptr]bool{}
	for name := range extended {
		if node, ok := schemas[name].(map[string]any); ok {
			open[reflect.ValueOf(node).Pointer()] = true
		}
	}
	walk(doc, false, func(node map[string]any, inAllOf bool) {
		if !inAllOf && !open[reflect.ValueOf(node).Pointer()] {
			closeObject(node)
		}
	})
	for name := range extended {
		schemas[name+closedSuffix] = map[string]any{
			"allOf":                 []any{map[string]any{"$ref": schemaRefPrefix + name}},
			"unevaluatedProperties": false,
		}
	}
	return json.Marshal(doc)
}

// isObject reports whether node is an object schema: it lists
// properties or composes others through allOf.
func isObject(node map[string]any) bool {
	if _, ok := node["allOf"]; ok {
		return true
	}
	props, ok := node["properties"].(map[string]any)
	return ok && node["type"] == "object" && props != nil
}

func closeObject(node map[string]any) {
	if !isObject(node) {
		return
	}
	_, open := node["additionalProperties"]
	_, unevaluated := node["unevaluatedProperties"]
	if !open && !unevaluated {
		node["unevaluatedProperties"] = false
	}
}

func refOf(node map[string]any) string {
	s, _ := node["$ref"].(string)
	return s
}

// walk calls visit on every object of the document, depth first, telling
// whether it is directly an element of an allOf list. The members of
// "properties" maps are schemas, so a property named allOf is not mistaken
// for the keyword.
func walk(v any, inAllOf bool, visit func(node map[string]any, inAllOf bool)) {
	switch x := v.(type) {
	case map[string]any:
		visit(x, inAllOf)
		for k, child := range x {
			if k == "allOf" {
				if list, ok := child.([]any); ok {
					for _, item := range list {
						walk(item, true, visit)
					}
					continue
				}
			}
			if k == "properties" {
				if props, ok := child.(map[string]any); ok {
					for _, p := range props {
						walk(p, false, visit)
					}
					continue
				}
			}
			walk(child, false, visit)
		}
	case []any:
		for _, item := range x {
			walk(item, false, visit)
		}
	}
}
