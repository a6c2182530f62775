package agreement

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// fpdf writes, for every UTF-8 font, a ToUnicode CMap holding one range
// <0000> <FFFF> <0000>. The PDF specification (ISO 32000-1, 9.10.3) lets a
// bfrange vary only in its last byte, so that map is undefined beyond U+00FF:
// lenient viewers read it as identity, strict extractors turn Cyrillic and
// ș ț into garbage, and so would screen readers and copy-paste in some
// tools. conformToUnicodeMaps replaces each such map with an equivalent one
// split into 256-code ranges, then fixes the cross-reference table so that
// object offsets stay right.

const (
	cmapStart     = "stream\n/CIDInit /ProcSet findresource begin\n"
	identityRange = "1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\n"
	endStream     = "\nendstream"
)

var errUnexpectedPDF = errors.New("unexpected fpdf output")

// identityCMap is the conforming ToUnicode map, compressed. fpdf's CIDs are
// the UTF-16 code units of the text, so each CID maps to itself; the
// surrogate blocks D800–DFFF are left out because they are not characters.
var identityCMap = sync.OnceValue(func() []byte {
	var highs []int
	for hi := 0; hi < 0x100; hi++ {
		if hi < 0xD8 || hi > 0xDF {
			highs = append(highs, hi)
		}
	}
	var b strings.Builder
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
	b.WriteString("/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n")
	b.WriteString("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
	b.WriteString("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for len(highs) > 0 {
		n := min(len(highs), 100) // a CMap block holds at most 100 entries
		fmt.Fprintf(&b, "%d beginbfrange\n", n)
		for _, hi := range highs[:n] {
			fmt.Fprintf(&b, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi)
		}
		b.WriteString("endbfrange\n")
		highs = highs[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")

	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	_, _ = w.Write([]byte(b.String())) // writes to a bytes.Buffer cannot fail
	_ = w.Close()
	return z.Bytes()
})

// splice is one replaced stretch of the document: [start, end) in the
// original became replacement.
type splice struct {
	start, end  int
	replacement []byte
}

// conformToUnicodeMaps rewrites fpdf's ToUnicode maps as described above.
// It fails rather than guess when the document does not look like fpdf's
// (a changed fpdf would then be caught by the tests, not by borrowers).
func conformToUnicodeMaps(doc []byte) ([]byte, error) {
	splices, err := findIdentityCMaps(doc)
	if err != nil {
		return nil, err
	}
	if len(splices) == 0 {
		return doc, nil // no UTF-8 font, nothing to fix
	}
	xrefAt, err := startXref(doc)
	if err != nil {
		return nil, err
	}
	if xrefAt < splices[len(splices)-1].end {
		return nil, fmt.Errorf("%w: cross-reference table before a font", errUnexpectedPDF)
	}

	var out bytes.Buffer
	out.Grow(len(doc))
	prev := 0
	for _, s := range splices {
		out.Write(doc[prev:s.start])
		out.Write(s.replacement)
		prev = s.end
	}
	out.Write(doc[prev:xrefAt])
	newXrefAt := out.Len()
	shift := func(offset int) int {
		moved := offset
		for _, s := range splices {
			if offset >= s.end {
				moved += len(s.replacement) - (s.end - s.start)
			}
		}
		return moved
	}
	if err := writeShiftedXref(&out, doc[xrefAt:], shift, newXrefAt); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// findIdentityCMaps locates every "<</Length n>>\nstream\n<cmap>\nendstream"
// whose CMap holds the whole-plane identity range.
func findIdentityCMaps(doc []byte) ([]splice, error) {
	var splices []splice
	for from := 0; ; {
		i := bytes.Index(doc[from:], []byte(cmapStart))
		if i < 0 {
			return splices, nil
		}
		streamAt := from + i
		dictAt := bytes.LastIndex(doc[:streamAt], []byte("<</Length "))
		contentAt := streamAt + len("stream\n")
		j := bytes.Index(doc[contentAt:], []byte(endStream))
		if dictAt < 0 || j < 0 {
			return nil, fmt.Errorf("%w: ToUnicode stream without dictionary or end", errUnexpectedPDF)
		}
		content := doc[contentAt : contentAt+j]
		if want := fmt.Sprintf("<</Length %d>>\n", len(content)); string(doc[dictAt:streamAt]) != want {
			return nil, fmt.Errorf("%w: ToUnicode dictionary %q", errUnexpectedPDF, doc[dictAt:streamAt])
		}
		if !bytes.Contains(content, []byte(identityRange)) {
			return nil, fmt.Errorf("%w: ToUnicode map without the identity range", errUnexpectedPDF)
		}
		cmap := identityCMap()
		var r bytes.Buffer
		fmt.Fprintf(&r, "<</Length %d/Filter /FlateDecode>>\nstream\n", len(cmap))
		r.Write(cmap)
		r.WriteString(endStream)
		end := contentAt + j + len(endStream)
		splices = append(splices, splice{start: dictAt, end: end, replacement: r.Bytes()})
		from = end
	}
}

// startXref reads the offset after the last "startxref".
func startXref(doc []byte) (int, error) {
	i := bytes.LastIndex(doc, []byte("startxref\n"))
	if i < 0 {
		return 0, fmt.Errorf("%w: no startxref", errUnexpectedPDF)
	}
	rest := doc[i+len("startxref\n"):]
	n, _, _ := bytes.Cut(rest, []byte("\n"))
	at, err := strconv.Atoi(string(n))
	if err != nil || at < 0 || at >= len(doc) {
		return 0, fmt.Errorf("%w: startxref %q", errUnexpectedPDF, n)
	}
	return at, nil
}

// writeShiftedXref copies fpdf's single-section cross-reference table and
// trailer, moving every in-use offset with shift and pointing startxref at
// the table's new place.
func writeShiftedXref(out *bytes.Buffer, tail []byte, shift func(int) int, newXrefAt int) error {
	lines := strings.Split(string(tail), "\n")
	if len(lines) < 3 || lines[0] != "xref" {
		return fmt.Errorf("%w: no xref table at startxref", errUnexpectedPDF)
	}
	first, countText, ok := strings.Cut(lines[1], " ")
	count, err := strconv.Atoi(countText)
	if !ok || first != "0" || err != nil || len(lines) < 2+count {
		return fmt.Errorf("%w: xref subsection %q", errUnexpectedPDF, lines[1])
	}
	for k := 2; k < 2+count; k++ {
		entry := lines[k]
		if len(entry) != 19 || !strings.HasSuffix(entry, " n ") && !strings.HasSuffix(entry, " f ") {
			return fmt.Errorf("%w: xref entry %q", errUnexpectedPDF, entry)
		}
		if strings.HasSuffix(entry, " n ") {
			offset, err := strconv.Atoi(entry[:10])
			if err != nil {
				return fmt.Errorf("%w: xref entry %q", errUnexpectedPDF, entry)
			}
			lines[k] = fmt.Sprintf("%010d%s", shift(offset), entry[10:])
		}
	}
	replaced := false
	for k := 2 + count; k+1 < len(lines); k++ {
		if lines[k] == "startxref" {
			lines[k+1] = strconv.Itoa(newXrefAt)
			replaced = true
		}
	}
	if !replaced {
		return fmt.Errorf("%w: no startxref after the xref table", errUnexpectedPDF)
	}
	out.WriteString(strings.Join(lines, "\n"))
	return nil
}
