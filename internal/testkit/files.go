package testkit

// PDF is the smallest file the upload sniffs as a PDF.
func PDF() []byte { return []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n") }
