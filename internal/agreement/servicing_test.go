package agreement

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/servicing"
)

// penaltyPolicy is a product with every servicing charge: a 1 % early-repayment
// fee, and after 3 days' grace a 50.00 late fee and 36 % a year, capped at 20 %.
func penaltyPolicy() servicing.Policy {
	return servicing.Policy{
		AllocationOrder:          servicing.OrderPenaltiesFeesInterestPrincipal,
		PrepaymentStrategy:       servicing.StrategyNextInstallments,
		EarlyRepaymentFeePercent: decimal.NewFromInt(1),
		PenaltyGraceDays:         3,
		LateFee:                  decimal.RequireFromString("50.00"),
		PenaltyRate:              decimal.NewFromInt(36),
		PenaltyCapPercent:        decimal.NewFromInt(20),
	}
}

// Every language states the product's figures in clauses 3.7 and 3.8, and for
// a product without charges (the zero policy of loans from before products
// had servicing) says that none are charged.
func TestRenderStatesServicingTerms(t *testing.T) {
	tests := []struct {
		lang    string
		figures []string // fee, Directive caps, grace days, late fee, rate, cap
		noFee   string
		noLate  string
	}{
		{"eng", []string{"early-repayment fee of 1.00%", "1.00% of that principal", "0.50% when one year or less", "unpaid 3 days after its due date", "late fee of 50.00 MKD", "36.00% per year", "never exceed 20.00% of the Loan amount"},
			"No early-repayment fee is charged.", "No late-payment penalties are charged."},
		{"ron", []string{"anticipată de 1,00 %", "1,00 % din acest principal", "0,50 % dacă rămâne un an", "la 3 zile după data scadentă", "de întârziere de 50,00 MKD", "36,00 % pe an", "nu depășește 20,00 % din suma Împrumutului"},
			"Nu se percepe niciun comision de rambursare anticipată.", "Nu se percep penalități de întârziere."},
		{"rus", []string{"в размере 1,00 % от досрочно", "1,00 % этой суммы", "0,50 %, если остаётся один год", "спустя 3 дня после даты платежа", "штраф в размере 50,00 MKD", "36,00 % годовых", "не превышает 20,00 % от суммы Займа"},
			"Комиссия за досрочное погашение не взимается.", "Неустойка за просрочку не взимается."},
		{"sqi", []string{"prej 1,00 % të principalit", "1,00 % të këtij principali", "0,50 % kur mbetet një vit", "3 ditë pas datës së maturimit", "tarifë vonese prej 50,00 MKD", "36,00 % në vit", "nuk e kalon 20,00 % të shumës së Huasë"},
			"Nuk aplikohet asnjë komision për shlyerjen e parakohshme.", "Nuk aplikohet asnjë kamatëvonesë."},
		{"mkd", []string{"отплата од 1,00 % од", "1,00 % од таа главнина", "0,50 % кога останува една година", "ни 3 дена по датумот на доспевање", "доцнење од 50,00 MKD", "36,00 % годишно", "не надминуваат 20,00 % од износот на Заемот"},
			"Не се наплаќа надоместок за предвремена отплата.", "Не се наплаќаат казни за доцнење."},
		{"bos", []string{"otplatu od 1,00 % prijevremeno", "1,00 % te glavnice", "0,50 % kada preostaje jedna godina", "ni 3 dana nakon datuma dospijeća", "kašnjenje od 50,00 MKD", "36,00 % godišnje", "ne prelaze 20,00 % iznosa Zajma"},
			"Naknada za prijevremenu otplatu se ne naplaćuje.", "Penali za kašnjenje se ne naplaćuju."},
		{"bul", []string{"в размер на 1,00 % от предсрочно", "1,00 % от тази главница", "0,50 %, когато остава една година", "и 3 дни след датата на падежа", "в размер на 50,00 MKD", "36,00 % годишно", "не надвишава 20,00 % от размера на Кредита"},
			"Не се начислява такса за предсрочно погасяване.", "Не се начислява неустойка за забава."},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			a := sampleAgreement("John Smith", 12)
			a.Servicing = penaltyPolicy()
			doc, err := Render(tt.lang, a)
			require.NoError(t, err)
			text := normalizeSpace(allText(t, doc))
			for _, f := range tt.figures {
				require.Contains(t, text, f)
			}
			require.NotContains(t, text, tt.noFee)
			require.NotContains(t, text, tt.noLate)

			a.Servicing = servicing.Policy{}
			doc, err = Render(tt.lang, a)
			require.NoError(t, err)
			text = normalizeSpace(allText(t, doc))
			require.Contains(t, text, tt.noFee)
			require.Contains(t, text, tt.noLate)
			require.NotContains(t, text, "50,00 MKD")
			require.NotContains(t, text, "50.00 MKD")
		})
	}
}

// The clauses follow each setting: which penalties exist, grace or none, a
// cap or only the law's, the allocation order and the prepayment strategy.
func TestServicingTermsFollowTheProduct(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name   string
		change func(p *servicing.Policy)
		want   map[string]string // placeholder → its text
	}{
		{"every charge", func(*servicing.Policy) {}, map[string]string{
			"{earlyRepaymentFee}": "On full early repayment an early-repayment fee of 1.00% of the principal repaid early is charged; it never exceeds 1.00% of that principal when more than one year of the term remains, 0.50% when one year or less remains, nor the interest the Borrower saves by repaying early.",
			"{penalties}": "Late-payment penalties apply to an installment still unpaid 3\u00a0days after its due date. A late fee of 50.00\u00a0MKD is charged once for each such installment. " +
				"Penalty interest of 36.00% per year accrues daily on its overdue principal. All late-payment penalties together never exceed 20.00% of the Loan amount.",
		}},
		{"a fee with more decimals than two", func(p *servicing.Policy) { p.EarlyRepaymentFeePercent = d("0.125") }, map[string]string{
			"{earlyRepaymentFee}": "On full early repayment an early-repayment fee of 0.125% of the principal repaid early is charged; it never exceeds 1.00% of that principal when more than one year of the term remains, 0.50% when one year or less remains, nor the interest the Borrower saves by repaying early.",
		}},
		{"late fee only, no grace, no cap", func(p *servicing.Policy) {
			p.PenaltyGraceDays, p.PenaltyRate, p.PenaltyCapPercent = 0, decimal.Zero, decimal.Zero
		}, map[string]string{
			"{penalties}": "Late-payment penalties apply to an installment still unpaid after its due date. A late fee of 50.00\u00a0MKD is charged once for each such installment. " +
				"Late-payment penalties are not capped other than by the limits set by applicable law.",
		}},
		{"rate only, one grace day", func(p *servicing.Policy) { p.PenaltyGraceDays, p.LateFee = 1, decimal.Zero }, map[string]string{
			"{penalties}": "Late-payment penalties apply to an installment still unpaid 1\u00a0day after its due date. Penalty interest of 36.00% per year accrues daily on its overdue principal. " +
				"All late-payment penalties together never exceed 20.00% of the Loan amount.",
		}},
		{"a cap and grace days but nothing to charge", func(p *servicing.Policy) {
			p.LateFee, p.PenaltyRate, p.EarlyRepaymentFeePercent = decimal.Zero, decimal.Zero, decimal.Zero
		}, map[string]string{
			"{penalties}":         "No late-payment penalties are charged.",
			"{earlyRepaymentFee}": "No early-repayment fee is charged.",
		}},
		{"interest first", func(p *servicing.Policy) { p.AllocationOrder = servicing.OrderInterestPrincipalPenaltiesFees }, map[string]string{
			"{allocation}": "within each installment first to interest, then to principal, then to late-payment penalties and finally to fees",
		}},
		{"principal first", func(p *servicing.Policy) { p.AllocationOrder = servicing.OrderPrincipalInterestPenaltiesFees }, map[string]string{
			"{allocation}": "within each installment first to principal, then to interest, then to late-payment penalties and finally to fees",
		}},
		{"due first, then advance", func(p *servicing.Policy) { p.AllocationOrder = servicing.OrderDueFirstThenAdvance }, map[string]string{
			"{allocation}": "within each installment already due first to late-payment penalties, then to fees, then to interest and finally to principal; a payment towards an installment not yet due goes first to its principal, then to penalties, fees and interest",
		}},
		{"default order and strategy", func(p *servicing.Policy) { p.AllocationOrder, p.PrepaymentStrategy = "", "" }, map[string]string{
			"{allocation}": "within each installment first to late-payment penalties, then to fees, then to interest and finally to principal",
			"{prepayment}": "Money paid beyond what is due is applied to the next installments in the order set out in clause 3.6, and the repayment schedule stays unchanged.",
		}},
		{"reduce installment", func(p *servicing.Policy) { p.PrepaymentStrategy = servicing.StrategyReduceInstallment }, map[string]string{
			"{prepayment}": "Money paid beyond what is due repays principal early, and the remaining principal is spread over the same remaining installments, which become smaller.",
		}},
		{"reduce term", func(p *servicing.Policy) { p.PrepaymentStrategy = servicing.StrategyReduceTerm }, map[string]string{
			"{prepayment}": "Money paid beyond what is due repays principal early, and the installment amount stays the same, so fewer installments remain.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sampleAgreement("John Smith", 6)
			a.Servicing = penaltyPolicy()
			tt.change(&a.Servicing)
			require.NoError(t, a.validate())
			fill := placeholders(&english, a)
			for placeholder, want := range tt.want {
				require.Equal(t, want, fill.Replace(placeholder), placeholder)
			}
		})
	}
}

func TestSetPercentFormat(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"eng", "36", "36.00%"},
		{"eng", "1.5", "1.50%"},
		{"eng", "0.125", "0.125%"},
		{"eng", "0.1250", "0.125%"},
		{"ron", "0.125", "0,125\u00a0%"},
		{"bul", "20", "20,00\u00a0%"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+" "+tt.in, func(t *testing.T) {
			require.Equal(t, tt.want, languages[tt.lang].numbers.setPercent(decimal.RequireFromString(tt.in)))
		})
	}
}

func TestDaysPlural(t *testing.T) {
	tests := []struct {
		lang string
		want [5]string // 1, 3, 5, 21, 25 days
	}{
		{"eng", [5]string{"1 day", "3 days", "5 days", "21 days", "25 days"}},
		{"ron", [5]string{"1 zi", "3 zile", "5 zile", "21 de zile", "25 de zile"}},
		{"rus", [5]string{"1 день", "3 дня", "5 дней", "21 день", "25 дней"}},
		{"sqi", [5]string{"1 ditë", "3 ditë", "5 ditë", "21 ditë", "25 ditë"}},
		{"mkd", [5]string{"1 ден", "3 дена", "5 дена", "21 дена", "25 дена"}},
		{"bos", [5]string{"1 dan", "3 dana", "5 dana", "21 dan", "25 dana"}},
		{"bul", [5]string{"1 ден", "3 дни", "5 дни", "21 дни", "25 дни"}},
	}
	for _, tt := range tests {
		for i, n := range []int{1, 3, 5, 21, 25} {
			require.Equal(t, tt.want[i], normalizeSpace(languages[tt.lang].days(n)), "%s %d", tt.lang, n)
		}
	}
}
