package browsertest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
)

// samplePNG is a small "bank statement": a page with ruled lines, enough
// for the browser to show a real image.
var samplePNG = func() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 420, 300))
	for y := range 300 {
		for x := range 420 {
			c := color.RGBA{255, 255, 255, 255}
			switch {
			case y < 40:
				c = color.RGBA{31, 79, 180, 255}
			case y%24 == 0 && x > 20 && x < 400:
				c = color.RGBA{190, 198, 210, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}()

// samplePDF is a one-page PDF reading "Signed loan agreement".
var samplePDF = func() []byte {
	stream := "BT /F1 24 Tf 72 720 Td (Signed loan agreement) Tj ET"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return buf.Bytes()
}()
