package agreement

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
	"github.com/stretchr/testify/require"
)

// rawRender is the document as fpdf writes it, before the ToUnicode fix.
func rawRender(t *testing.T, code string, a Agreement) []byte {
	t.Helper()
	raw, err := newRenderer(languages[code], a).render()
	require.NoError(t, err)
	return raw
}

// requireXrefPointsAtObjects checks every in-use cross-reference entry
// against the object it must point at, and startxref against the table.
func requireXrefPointsAtObjects(t *testing.T, doc []byte) {
	t.Helper()
	at, err := startXref(doc)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(doc[at:], []byte("xref\n0 ")), "startxref must point at the table")
	lines := strings.Split(string(doc[at:]), "\n")
	count, err := strconv.Atoi(strings.TrimPrefix(lines[1], "0 "))
	require.NoError(t, err)
	for n := 1; n < count; n++ {
		offset, err := strconv.Atoi(lines[2+n][:10])
		require.NoError(t, err)
		require.True(t, bytes.HasPrefix(doc[offset:], fmt.Appendf(nil, "%d 0 obj", n)), "object %d not at %d", n, offset)
	}
}

func TestFpdfWritesTheIdentityRange(t *testing.T) {
	// This is what the fix exists for: if fpdf ever writes a conforming map,
	// conformToUnicodeMaps should go.
	raw := rawRender(t, "eng", sampleAgreement("John Smith", 3))
	require.Equal(t, 2, bytes.Count(raw, []byte(identityRange)), "one map per font (regular, bold)")
	requireXrefPointsAtObjects(t, raw)
}

func TestConformToUnicodeMaps(t *testing.T) {
	raw := rawRender(t, "rus", sampleAgreement("Иван Сидоренко", 24))
	fixed, err := conformToUnicodeMaps(raw)
	require.NoError(t, err)
	require.NotContains(t, string(fixed), identityRange)
	require.Equal(t, 2, bytes.Count(fixed, []byte("/ToUnicode ")))
	require.Equal(t, 2, bytes.Count(fixed, identityCMap()))
	requireXrefPointsAtObjects(t, fixed)

	// Nothing but the maps changed: removing them leaves the same document
	// apart from the numbers in the cross-reference table.
	original := toUnicodeOf(t, raw)
	before := fmt.Appendf(nil, "<</Length %d>>\nstream\n%s\nendstream", len(original), original)
	after := fmt.Appendf(nil, "<</Length %d/Filter /FlateDecode>>\nstream\n%s\nendstream", len(identityCMap()), identityCMap())
	xref := regexp.MustCompile(`(?s)\nxref\n.*`)
	strip := func(doc, mapStream []byte) string {
		return xref.ReplaceAllString(string(bytes.ReplaceAll(doc, mapStream, []byte("MAP"))), "XREF")
	}
	require.Equal(t, strip(raw, before), strip(fixed, after))
	require.Equal(t, 2, strings.Count(strip(fixed, after), "MAP"))
}

// The new map must obey the rule fpdf's breaks: within a range only the last
// byte varies, so the destination's last byte never overflows.
func TestIdentityCMapRangesVaryOnlyInTheLastByte(t *testing.T) {
	zr, err := zlib.NewReader(bytes.NewReader(identityCMap()))
	require.NoError(t, err)
	text, err := io.ReadAll(zr)
	require.NoError(t, err)
	ranges := regexp.MustCompile(`<([0-9A-F]{4})> <([0-9A-F]{4})> <([0-9A-F]{4})>`).FindAllStringSubmatch(string(text), -1)
	require.Len(t, ranges, 256-8, "every high byte except the surrogates D8–DF")
	for _, r := range ranges {
		require.Equal(t, r[1][:2], r[2][:2], r[0])
		require.Equal(t, "00", r[1][2:], r[0])
		require.Equal(t, "FF", r[2][2:], r[0])
		require.Equal(t, r[1], r[3], "identity: %s", r[0])
	}
	for _, n := range regexp.MustCompile(`(\d+) beginbfrange`).FindAllStringSubmatch(string(text), -1) {
		count, _ := strconv.Atoi(n[1])
		require.LessOrEqual(t, count, 100, "a CMap block holds at most 100 entries")
	}
}

func TestConformToUnicodeMapsWithoutUTF8Font(t *testing.T) {
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	p.SetFont("Helvetica", "", 12)
	p.Cell(40, 10, "core font only")
	var buf bytes.Buffer
	require.NoError(t, p.Output(&buf))
	fixed, err := conformToUnicodeMaps(buf.Bytes())
	require.NoError(t, err)
	require.Equal(t, buf.Bytes(), fixed)
}

func TestConformToUnicodeMapsRejectsUnexpectedInput(t *testing.T) {
	raw := rawRender(t, "eng", sampleAgreement("John Smith", 3))
	tests := []struct {
		name string
		doc  []byte
	}{
		{"map without the identity range", bytes.Replace(raw, []byte("<0000> <FFFF> <0000>"), []byte("<0000> <FFFF> <0001>"), 1)},
		{"wrong stream length", bytes.Replace(raw, []byte(fmt.Sprintf("<</Length %d>>\nstream\n/CIDInit", len(toUnicodeOf(t, raw)))), []byte("<</Length 1>>\nstream\n/CIDInit"), 1)},
		{"no startxref", bytes.Replace(raw, []byte("startxref"), []byte("startXXXX"), 1)},
		{"startxref not at the table", bytes.Replace(raw, []byte("\nxref\n0 "), []byte("\nxreX\n0 "), 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NotEqual(t, raw, tt.doc, "the test must change the document")
			_, err := conformToUnicodeMaps(tt.doc)
			require.ErrorIs(t, err, errUnexpectedPDF)
		})
	}
}

func toUnicodeOf(t *testing.T, raw []byte) []byte {
	t.Helper()
	start := bytes.Index(raw, []byte(cmapStart)) + len("stream\n")
	end := bytes.Index(raw[start:], []byte(endStream))
	require.Positive(t, end)
	return raw[start : start+end]
}

// Why the fix exists: a strict extractor reads fpdf's own map as garbage for
// everything past U+00FF. (Should the extractor become lenient one day, the
// first assertion fails and this test can go; the fix stays spec-conforming.)
func TestExtractionNeedsTheConformingMap(t *testing.T) {
	raw := rawRender(t, "rus", sampleAgreement("Иван Сидоренко", 3))
	require.NotContains(t, allText(t, raw), "договор")
	fixed, err := conformToUnicodeMaps(raw)
	require.NoError(t, err)
	require.Contains(t, allText(t, fixed), "договор")
}
