package iutefacade

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/internal/agreement"
	"github.com/loanflow/loanflow/internal/agreement/agreementtest"
	"github.com/loanflow/loanflow/internal/iutewire"
)

// pdfText is a PDF's text, spaces normalised.
func pdfText(t *testing.T, doc []byte) string {
	return strings.Join(strings.Fields(strings.Join(agreementtest.PageTexts(t, doc), "\n")), " ")
}

// TestAgreementInEveryLanguage generates, through the façade, the agreement
// of a loan with a borrower named in each language's script, and finds in
// its text the borrower, the amount written the language's way and words
// with the language's diacritics or letters.
func TestAgreementInEveryLanguage(t *testing.T) {
	tests := []struct {
		lang, first, last string
		amount            string   // 12 500.00 MDL written the language's way
		words             []string // %d is the loan's ref
	}{
		{"eng", "John", "Smith", "12,500.00", []string{"LOAN AGREEMENT No. %d", "Borrower", "repayment schedule", "12 months"}},
		{"ron", "Ștefan", "Țurcanu", "12.500,00", []string{"CONTRACT DE ÎMPRUMUT nr. %d", "Împrumutatul", "dobânda", "întârziere", "Părțile", "12 luni"}},
		{"rus", "Иван", "Сидоренко", "12 500,00", []string{"ДОГОВОР ЗАЙМА № %d", "Заёмщик", "График погашения", "досрочно", "12 месяцев"}},
		{"alb", "Arbër", "Çela", "12 500,00", []string{"KONTRATË HUAJE nr. %d", "Huamarrësi", "këstet", "Nënshkrimi", "12 muaj"}},
		{"sqi", "Ëngjëll", "Përmeti", "12 500,00", []string{"KONTRATË HUAJE nr. %d", "Huadhënësi", "kamatëvonesë", "12 muaj"}},
		{"mkd", "Ѓорѓи", "Ќосев", "12.500,00", []string{"ДОГОВОР ЗА ЗАЕМ бр. %d", "помеѓу", "раѓање", "плаќање", "доцнење", "Заемопримач", "12 месеци"}},
		{"bos", "Đorđe", "Čolaković", "12.500,00", []string{"UGOVOR O ZAJMU br. %d", "između", "rođenja", "Kašnjenje u plaćanju", "12 mjeseci"}},
		{"bul", "Мария", "Йорданова", "12 500,00", []string{"ДОГОВОР ЗА ПОТРЕБИТЕЛСКИ КРЕДИТ № %d", "Кредитополучателят", "Погасителен план", "ГПР", "12 месеца"}},
	}
	var langs []string
	for _, tt := range tests {
		langs = append(langs, tt.lang)
	}
	slices.Sort(langs)
	require.Equal(t, agreement.Languages(), langs, "every language the renderer has is tested")

	e := newEnv(t)
	for i, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			parts := application(fmt.Sprintf("I%08dT", i+1), tt.first, tt.last)
			parts = withPart(parts, part{name: "loan_amount", value: "12500"})
			parts = withPart(parts, part{name: "loan_duration", value: "12"})
			ref := e.submit(demo, parts)
			e.approve(ref)

			q := refQuery(ref)
			q.Set("lang", tt.lang)
			res := e.get(&demo, pathAgreement, q)
			require.Equal(t, http.StatusOK, res.Code, res.Body.String())
			require.Equal(t, iutewire.ContentTypePDF, res.Header().Get("Content-Type"))
			require.Equal(t, fmt.Sprintf("attachment;filename=specific_agreement_%d_%s.pdf", ref, tt.lang), res.Header().Get("Content-Disposition"))

			text := pdfText(t, res.Body.Bytes())
			require.NotContains(t, text, "\uFFFD", "every glyph maps back to its character")
			require.Contains(t, text, tt.first+" "+tt.last)
			require.Contains(t, text, tt.amount+" MDL")
			require.Contains(t, text, "I0000000")
			require.Contains(t, text, "01.01.1990", "birth date, dd.MM.yyyy")
			for _, w := range tt.words {
				if strings.Contains(w, "%d") {
					w = fmt.Sprintf(w, ref)
				}
				require.Contains(t, text, w)
			}
			if tt.lang != "eng" {
				require.NotContains(t, text, "LOAN AGREEMENT", "no English fallback")
			}
		})
	}
}

// A language code in capitals is the same language; the file is named
// with the canonical code.
func TestAgreementLanguageCodeIgnoresCase(t *testing.T) {
	e := newEnv(t)
	ref := e.approved()
	q := refQuery(ref)
	q.Set("lang", "ALB")
	res := e.get(&demo, pathAgreement, q)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "attachment;filename=specific_agreement_90000_alb.pdf", res.Header().Get("Content-Disposition"))
}

// Before approval there is nothing to sign.
func TestAgreementBeforeApprovalIsRefused(t *testing.T) {
	e := newEnv(t)
	ref := e.submitted()
	q := refQuery(ref)
	q.Set("lang", "eng")
	body := htmlError(t, e.get(&demo, pathAgreement, q), http.StatusBadRequest)
	require.Contains(t, body, "SUBMITTED")
}
