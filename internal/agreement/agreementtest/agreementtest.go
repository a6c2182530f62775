// Package agreementtest reads a generated agreement back for tests, the way an indexer or a screen
// reader sees the document: the text of every page, with a pure-Go PDF reader.
//
// It is imported by tests only.
package agreementtest

import (
	"bytes"
	"testing"

	"github.com/ledongthuc/pdf"
	"github.com/stretchr/testify/require"
)

// PageTexts extracts the text of every page of doc.
func PageTexts(t testing.TB, doc []byte) []string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
	require.NoError(t, err)
	pages := make([]string, 0, r.NumPage())
	for i := 1; i <= r.NumPage(); i++ {
		text, err := r.Page(i).GetPlainText(nil)
		require.NoError(t, err)
		pages = append(pages, text)
	}
	return pages
}
