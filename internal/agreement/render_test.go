package agreement

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/agreement/agreementtest"
)

func TestRenderEveryLanguage(t *testing.T) {
	tests := []struct {
		lang     string
		borrower string
		amount   string   // 12 500.00 written the language's way
		words    []string // language-specific text, with its diacritics or script
	}{
		{"eng", "John Smith", "12,500.00", []string{"LOAN AGREEMENT No. 90017", "Borrower", "repayment schedule", "Annual percentage rate of charge (APR)", "12 months"}},
		{"ron", "Ștefan Țurcanu", "12.500,00", []string{"CONTRACT DE ÎMPRUMUT nr. 90017", "împrumut", "Împrumutatul", "dobânda", "scadentă", "întârziere", "Părțile", "ștampila", "12 luni"}},
		{"rus", "Иван Петрович Сидоренко", "12 500,00", []string{"ДОГОВОР ЗАЙМА № 90017", "договор", "Заёмщик", "График погашения", "ГЭПС", "досрочно", "12 месяцев"}},
		{"alb", "Arbër Çela", "12 500,00", []string{"KONTRATË HUAJE nr. 90017", "Huamarrësi", "këstet", "çdo", "Nënshkrimi", "12 muaj"}},
		{"sqi", "Ëngjëll Përmeti", "12 500,00", []string{"KONTRATË HUAJE nr. 90017", "Huadhënësi", "kamatëvonesë", "çdo"}},
		{"mkd", "Ѓорѓи Љубиша Ќосев", "12.500,00", []string{"ДОГОВОР ЗА ЗАЕМ бр. 90017", "договор", "помеѓу", "раѓање", "плаќање", "доцнење", "Заемопримач", "ЕМБГ", "12 месеци"}},
		{"bos", "Đorđe Šehić Čolaković", "12.500,00", []string{"UGOVOR O ZAJMU br. 90017", "između", "rođenja", "Mjesečna naknada za vođenje", "Kašnjenje u plaćanju", "obračunava", "Penali za kašnjenje se ne naplaćuju", "12 mjeseci"}},
		{"bul", "Мария Щерева Йорданова", "12 500,00", []string{"ДОГОВОР ЗА ПОТРЕБИТЕЛСКИ КРЕДИТ № 90017", "договор", "Кредитополучателят", "Погасителен план", "ГПР", "съгласен", "12 месеца"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			doc, err := Render(tt.lang, sampleAgreement(tt.borrower, 12))
			require.NoError(t, err)
			require.True(t, bytes.HasPrefix(doc, []byte("%PDF-")))
			t.Logf("%s: %d pages, %d bytes", tt.lang, len(agreementtest.PageTexts(t, doc)), len(doc))
			require.Less(t, len(doc), 120_000, "the fonts must be subset, not embedded whole")

			text := normalizeSpace(allText(t, doc))
			require.NotContains(t, text, "\uFFFD", "every glyph must map back to its character")
			require.Contains(t, text, tt.borrower)
			require.Contains(t, text, tt.amount+" MKD")
			require.Contains(t, text, "2001990450011")
			require.Contains(t, text, "ul. Makedonija 12, 1000 Skopje")
			require.Contains(t, text, "21.12.2025", "first due date, dd.MM.yyyy")
			require.Contains(t, text, "20.01.1990", "birth date, dd.MM.yyyy")
			for _, w := range tt.words {
				require.Contains(t, text, w)
			}
			if tt.lang != "eng" {
				require.NotContains(t, text, "LOAN AGREEMENT", "no English fallback")
			}
		})
	}
}

// The two Albanian codes are the same language and must give the same document.
func TestRenderAlbanianCodesAgree(t *testing.T) {
	a := sampleAgreement("Arbër Çela", 6)
	alb, err := Render("alb", a)
	require.NoError(t, err)
	sqi, err := Render("sqi", a)
	require.NoError(t, err)
	require.Equal(t, alb, sqi)
}

func TestRenderUnknownLanguage(t *testing.T) {
	for _, lang := range []string{"", "en", "ro", "deu", "ukr", "srp", "eng-US", "rum"} {
		t.Run(fmt.Sprintf("%q", lang), func(t *testing.T) {
			doc, err := Render(lang, sampleAgreement("John Smith", 3))
			require.ErrorIs(t, err, ErrUnknownLanguage)
			require.Nil(t, doc)
		})
	}
}

func TestRenderLanguageCodeIgnoresCase(t *testing.T) {
	a := sampleAgreement("John Smith", 3)
	lower, err := Render("bos", a)
	require.NoError(t, err)
	upper, err := Render(" BOS ", a)
	require.NoError(t, err)
	require.Equal(t, lower, upper)
}

func TestLanguages(t *testing.T) {
	require.Equal(t, []string{"alb", "bos", "bul", "eng", "mkd", "ron", "rus", "sqi"}, Languages())
	for _, code := range Languages() {
		_, err := Render(code, sampleAgreement("John Smith", 2))
		require.NoError(t, err, code)
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	a := sampleAgreement("Ștefan Țurcanu", 24)
	first, err := Render("ron", a)
	require.NoError(t, err)
	second, err := Render("ron", a)
	require.NoError(t, err)
	require.Equal(t, first, second)
	// The dates come from the agreement, not the clock.
	require.Contains(t, string(first), "/CreationDate (D:20251121000000)")
	require.Contains(t, string(first), "/ModDate (D:20251121000000)")

	a.Date = time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)
	later, err := Render("ron", a)
	require.NoError(t, err)
	require.Contains(t, string(later), "/CreationDate (D:20260302000000)")
	require.Contains(t, normalizeSpace(allText(t, later)), "02.03.2026")
}

func TestRenderMetadata(t *testing.T) {
	doc, err := Render("rus", sampleAgreement("Иван Сидоренко", 3))
	require.NoError(t, err)
	require.Contains(t, string(doc), "/Lang (ru)")
	require.Contains(t, string(doc), "/Creator (loanflow)")
}

// A value that looks like a placeholder is printed as given, not expanded.
func TestRenderPrintsValuesVerbatim(t *testing.T) {
	a := sampleAgreement("John {amount} Smith", 3)
	doc, err := Render("eng", a)
	require.NoError(t, err)
	require.Contains(t, normalizeSpace(allText(t, doc)), "John {amount} Smith")
}

func TestRenderLeavesOutEmptyPhone(t *testing.T) {
	a := sampleAgreement("John Smith", 3)
	a.Phone = ""
	doc, err := Render("eng", a)
	require.NoError(t, err)
	text := normalizeSpace(allText(t, doc))
	require.NotContains(t, text, "Phone")
	require.Contains(t, text, "Date of birth")
}

// normalizeSpace joins all runs of white space (including the no-break
// spaces inside amounts) into single spaces, as a reader would see them.
func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// Render shares only read-only state (texts, fonts, the CMap), so parallel
// calls, as the API makes them, must not disturb each other (run with -race).
func TestRenderConcurrently(t *testing.T) {
	a := sampleAgreement("Ѓорѓи Ќосев", 12)
	want, err := Render("mkd", a)
	require.NoError(t, err)
	results := make(chan []byte, 6)
	for range cap(results) {
		go func() {
			doc, err := Render("mkd", a)
			if err != nil {
				doc = nil
			}
			results <- doc
		}()
	}
	for range cap(results) {
		require.Equal(t, want, <-results)
	}
}
