package agreement

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/agreement/agreementtest"
)

// A 60-installment schedule does not fit on one page: the table must continue
// on the following pages, each starting with the column titles, and every
// row must be printed exactly once, in order.
func TestLongScheduleContinuesWithHeader(t *testing.T) {
	for _, code := range Languages() {
		t.Run(code, func(t *testing.T) {
			a := sampleAgreement("John Smith", 60)
			doc, err := Render(code, a)
			require.NoError(t, err)
			pages := agreementtest.PageTexts(t, doc)
			for i := range pages {
				pages[i] = normalizeSpace(pages[i])
			}
			header := normalizeSpace(strings.Join(languages[code].columns[:], " "))
			if code == "eng" {
				require.Equal(t, "No. Due date Principal Interest Fees Total", header)
			}

			rowPages := map[int]bool{}
			lastPage, lastAt := 0, -1
			for _, in := range a.Installments {
				row := fmt.Sprintf(" %d %s %s ", in.Number, formatDate(in.DueDate), languages[code].numbers.money(in.Principal))
				found := 0
				for p, text := range pages {
					if at := strings.Index(text, row); at >= 0 {
						found++
						require.True(t, p > lastPage || p == lastPage && at > lastAt, "row %d out of order", in.Number)
						lastPage, lastAt = p, at
						rowPages[p] = true
						require.Less(t, strings.Index(text, header), at, "page %d: row %d before the table header", p+1, in.Number)
						require.Equal(t, 1, strings.Count(text, row))
					}
				}
				require.Equal(t, 1, found, "row %d printed %d times", in.Number, found)
			}
			require.GreaterOrEqual(t, len(rowPages), 2, "60 rows must span pages")
			for p := range rowPages {
				require.Contains(t, pages[p], header, "page %d", p+1)
			}

			// Each footer carries its page number and the page count.
			for p, text := range pages {
				footer := strings.NewReplacer("{ref}", "90017", "{page}", fmt.Sprint(p+1), "{pages}", fmt.Sprint(len(pages))).
					Replace(languages[code].footer)
				require.Contains(t, text, footer)
			}
			t.Logf("%s: %d pages, %d bytes", code, len(pages), len(doc))
		})
	}
}
