package console

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/stretchr/testify/require"
)

// screenshotPNG draws a plausible scanned page: a coloured heading band
// (with title written as blocks, one per letter) and ruled lines.
func screenshotPNG(t *testing.T, title string) []byte {
	t.Helper()
	const w, h = 360, 460
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{252, 252, 250, 255}
			switch {
			case y < 8 || y > h-8 || x < 8 || x > w-8:
				c = color.RGBA{225, 228, 234, 255}
			case y >= 30 && y < 54 && x >= 30 && x < 30+len(title)*11 && (x-30)%11 < 8 && title[(x-30)/11] != ' ':
				c = color.RGBA{40, 52, 80, 255}
			case y > 80 && y%22 == 0 && x > 30 && x < w-30:
				c = color.RGBA{196, 202, 212, 255}
			case y > 390 && y < 394 && x > w-150 && x < w-40:
				c = color.RGBA{31, 79, 180, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}
