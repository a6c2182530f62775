package agreement

import _ "embed"

// DejaVu Sans is embedded rather than read from the system: production
// containers have no fonts, and the agreement needs Cyrillic and Latin
// Extended glyphs (ș ț, ë ç, ѓ ќ, č ć đ) that the PDF core fonts lack.
// fpdf embeds only the glyphs a document uses, so the PDF stays small.
var (
	//go:embed fonts/DejaVuSans.ttf
	regularFont []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	boldFont []byte
)

const fontFamily = "DejaVuSans"
