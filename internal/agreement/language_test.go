package agreement

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"
)

// templates returns every printed text of a language, labelled by field name
// (the codes are not printed text).
func templates(l *language) map[string]string {
	out := map[string]string{}
	v := reflect.ValueOf(*l)
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		if name == "code" || name == "tag" {
			continue
		}
		switch f.Kind() {
		case reflect.String:
			out[name] = f.String()
		case reflect.Array:
			for k := range f.Len() {
				e := f.Index(k)
				if e.Kind() == reflect.String {
					out[name+"["+string(rune('0'+k))+"]"] = e.String()
					continue
				}
				for j := range e.NumField() {
					out[name+"["+string(rune('0'+k))+"]."+e.Type().Field(j).Name] = e.Field(j).String()
				}
			}
		}
	}
	return out
}

var placeholder = regexp.MustCompile(`\{[a-zA-Z]+\}`)

func TestEveryLanguageFillsEveryText(t *testing.T) {
	fill := placeholders(&english, sampleAgreement("John Smith", 3))
	for _, code := range Languages() {
		l := languages[code]
		texts := templates(l)
		require.Len(t, texts, len(templates(&english)), code)
		for name, s := range texts {
			require.NotEmpty(t, strings.TrimSpace(s), "%s.%s", code, name)
			if strings.HasPrefix(name, "grace") {
				s = strings.ReplaceAll(s, "{grace}", "2") // appendGrace fills it
			}
			left := placeholder.FindAllString(fill.Replace(s), -1)
			if name == "footer" {
				require.Equal(t, []string{"{page}", pageCountAlias}, left, "%s footer", code)
				continue
			}
			require.Empty(t, left, "%s.%s uses an unknown placeholder", code, name)
		}
		require.Contains(t, l.title, "{ref}", code)
		require.Contains(t, l.footer, "{pages}", code)
		require.Contains(t, l.clauses[0].body, "{amount}", code)
		require.Contains(t, l.clauses[4].body, "{apr}", code)
	}
}

// The texts are typed by hand in several scripts; these checks catch the
// usual slips: a Latin "o" inside a Cyrillic word, the legacy cedilla ş ţ in
// Romanian, a Russian letter in Macedonian or Bulgarian and the reverse.
func TestLanguagesUseTheirOwnAlphabet(t *testing.T) {
	tests := []struct {
		code      string
		script    *unicode.RangeTable
		forbidden string
	}{
		{"eng", unicode.Latin, "ăâîșțëçčćžšđ"},
		{"ron", unicode.Latin, "şţŞŢçëčćžšđ"},
		{"sqi", unicode.Latin, "wWșțăčćžšđ"},
		{"bos", unicode.Latin, "qwxyQWXYșțăëç"},
		{"rus", unicode.Cyrillic, "ѓќљњџѕјєіїўЃЌЉЊЏЅЈ"},
		{"mkd", unicode.Cyrillic, "йщъьыэёюяЙЩЪЬЫЭЁЮЯ"},
		{"bul", unicode.Cyrillic, "ыэёѓќљњџѕјЫЭЁЃЌЉЊЏЅЈ"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			for name, s := range templates(languages[tt.code]) {
				for _, r := range placeholder.ReplaceAllString(s, "") {
					if unicode.IsLetter(r) && !unicode.Is(tt.script, r) {
						t.Errorf("%s.%s: letter %q is not in the language's script: %s", tt.code, name, r, s)
					}
					if strings.ContainsRune(tt.forbidden, r) {
						t.Errorf("%s.%s: letter %q does not belong to the language: %s", tt.code, name, r, s)
					}
				}
			}
		})
	}
}
