package agreement

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/schedule"
)

// scheduledAgreement is a 12-month loan of a product with installments
// every 2 months, flat interest, equal principal and the first installment
// repaying no principal: 6 installments, 2 months apart.
func scheduledAgreement() Agreement {
	a := sampleAgreement("John Smith", 6)
	a.TermMonths = 12
	for i := range a.Installments {
		a.Installments[i].DueDate = a.FirstRepaymentDate.AddDate(0, 2*i, 0)
	}
	a.Schedule = Schedule{
		RepaymentEvery:   2,
		InterestMethod:   schedule.InterestFlat,
		Amortization:     schedule.AmortizationEqualPrincipal,
		GraceOnPrincipal: 1,
	}
	return a
}

// Every language says what the product does: a monthly declining-balance
// annuity as the agreement always has, and otherwise how often installments
// fall due, what interest is charged on, how principal is repaid and which
// installments repay none; never both.
func TestRenderStatesTheSchedule(t *testing.T) {
	tests := []struct {
		lang      string
		monthly   []string // a monthly declining-balance annuity
		scheduled []string // every 2 months, flat, equal principal, grace on principal 1
	}{
		{"eng",
			[]string{"on the outstanding principal and is included in the monthly installments. The total interest", "repays the Loan in monthly installments, in the amounts", "a monthly administration fee of 15.00 MKD", "Monthly administration fee"},
			[]string{"on the full amount of the Loan for the whole term, however much of it has been repaid, and is included in the installments, which fall due every 2 months. The total interest", "repays the Loan in installments due every 2 months, in the amounts", "finally to principal. The principal is repaid in equal parts. No principal is repaid with the first installment.", "an administration fee of 15.00 MKD with each installment", "Administration fee per installment"}},
		{"ron",
			[]string{"asupra soldului principalului și este inclusă în ratele lunare. Dobânda totală", "rambursează Împrumutul în rate lunare, în cuantumurile", "un comision lunar de administrare de 15,00 MKD", "Comision lunar de administrare"},
			[]string{"asupra întregii sume a Împrumutului, pentru toată perioada, indiferent cât din aceasta a fost rambursat, și este inclusă în ratele, care devin scadente la fiecare 2 luni. Dobânda totală", "rambursează Împrumutul în rate scadente la fiecare 2 luni, în cuantumurile", "Principalul se rambursează în părți egale. Nu se rambursează principal odată cu prima rată.", "un comision de administrare de 15,00 MKD la fiecare rată", "Comision de administrare pentru fiecare rată"}},
		{"rus",
			[]string{"на остаток основного долга и включаются в ежемесячные платежи. Общая сумма", "погашает Заём ежемесячными платежами в размерах", "ежемесячная комиссия за обслуживание в размере 15,00 MKD", "Ежемесячная комиссия за обслуживание"},
			[]string{"на всю сумму Займа за весь срок, независимо от погашенной её части, и включаются в платежи, вносимые каждые 2 месяца. Общая сумма", "погашает Заём платежами, вносимыми каждые 2 месяца, в размерах", "Основной долг погашается равными частями. Погашение основного долга не входит в первый платёж.", "комиссия за обслуживание в размере 15,00 MKD с каждого платежа", "Комиссия за обслуживание с каждого платежа"}},
		{"sqi",
			[]string{"mbi principalin e papaguar dhe përfshihet në këstet mujore. Interesi total", "e shlyen Huanë me këste mujore, në shumat", "një komision mujor administrimi prej 15,00 MKD", "Komisioni mujor i administrimit"},
			[]string{"mbi të gjithë shumën e Huasë për të gjithë periudhën, pavarësisht sa prej saj është shlyer, dhe përfshihet në këstet, që maturohen çdo 2 muaj. Interesi total", "e shlyen Huanë me këste që maturohen çdo 2 muaj, në shumat", "Principali shlyhet në pjesë të barabarta. Principali nuk shlyhet me këstin e parë.", "një komision administrimi prej 15,00 MKD me çdo këst", "Komisioni i administrimit për çdo këst"}},
		{"mkd",
			[]string{"на неотплатениот дел од главнината и е вклучена во месечните рати. Вкупната камата", "го отплаќа Заемот во месечни рати, во износите", "месечен надоместок за управување од 15,00 MKD", "Месечен надоместок за управување"},
			[]string{"на целиот износ на Заемот за целиот период, без оглед на тоа колку од него е отплатено, и е вклучена во ратите, кои доспеваат на секои 2 месеци. Вкупната камата", "го отплаќа Заемот во рати што доспеваат на секои 2 месеци, во износите", "Главнината се отплаќа во еднакви делови. Со првата рата не се отплаќа главнина.", "надоместок за управување од 15,00 MKD со секоја рата", "Надоместок за управување по рата"}},
		{"bos",
			[]string{"na neotplaćeni dio glavnice i uključena je u mjesečne rate. Ukupna kamata", "otplaćuje Zajam u mjesečnim ratama, u iznosima", "mjesečna naknada za vođenje u iznosu od 15,00 MKD", "Mjesečna naknada za vođenje"},
			[]string{"na cijeli iznos Zajma za cijeli period, bez obzira na to koliko je od njega otplaćeno, i uključena je u rate koje dospijevaju svaka 2 mjeseca. Ukupna kamata", "otplaćuje Zajam u ratama koje dospijevaju svaka 2 mjeseca, u iznosima", "Glavnica se otplaćuje u jednakim dijelovima. Glavnica se ne otplaćuje kroz prvu ratu.", "naknada za vođenje u iznosu od 15,00 MKD uz svaku ratu", "Naknada za vođenje po rati"}},
		{"bul",
			[]string{"върху остатъка от главницата и е включена в месечните вноски. Общата сума", "погасява Кредита с месечни вноски в размерите", "месечна такса за обслужване в размер на 15,00 MKD", "Месечна такса за обслужване"},
			[]string{"върху целия размер на Кредита за целия срок, независимо каква част от него е погасена, и е включена във вноските, които са дължими на всеки 2 месеца. Общата сума", "погасява Кредита с вноски, дължими на всеки 2 месеца, в размерите", "Главницата се погасява на равни части. С първата вноска не се погасява главница.", "такса за обслужване в размер на 15,00 MKD с всяка вноска", "Такса за обслужване за всяка вноска"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			doc, err := Render(tt.lang, sampleAgreement("John Smith", 12))
			require.NoError(t, err)
			monthly := normalizeSpace(allText(t, doc))
			doc, err = Render(tt.lang, scheduledAgreement())
			require.NoError(t, err)
			scheduled := normalizeSpace(allText(t, doc))
			for _, p := range tt.monthly {
				require.Contains(t, monthly, p)
				require.NotContains(t, scheduled, p)
			}
			for _, p := range tt.scheduled {
				require.Contains(t, scheduled, p)
				require.NotContains(t, monthly, p)
			}
		})
	}
}

// The clauses follow each setting, in the order a reader needs them: how
// interest is calculated and which installments are free of it or defer
// it, then how principal is repaid and which installments repay none.
func TestScheduleTermsFollowTheProduct(t *testing.T) {
	tests := []struct {
		name     string
		schedule Schedule
		want     map[string]string // placeholder → its text
	}{
		{"the defaults spelled out", Schedule{
			RepaymentEvery: 1, InterestMethod: schedule.InterestDecliningBalance,
			Amortization: schedule.AmortizationEqualInstallments, InterestCalculation: schedule.InterestPeriodSameAsRepayment,
		}, map[string]string{
			"{interestBase}": "on the outstanding principal", "{installmentsIncluded}": "monthly installments",
			"{installmentsRepaid}": "monthly installments", "{administrationFee}": "a monthly administration fee of 15.00\u00a0MKD",
			"{interestTerms}": "", "{repaymentTerms}": "",
		}},
		{"declining equal principal", Schedule{Amortization: schedule.AmortizationEqualPrincipal}, map[string]string{
			"{repaymentTerms}": " The principal is repaid in equal parts, so the installments decrease as the interest on the outstanding principal falls.",
		}},
		{"every 3 months", Schedule{RepaymentEvery: 3}, map[string]string{
			"{installmentsIncluded}": "installments, which fall due every 3\u00a0months",
			"{administrationFee}":    "an administration fee of 15.00\u00a0MKD with each installment",
		}},
		{"daily interest and every grace", Schedule{
			InterestCalculation: schedule.InterestPeriodDaily,
			GraceOnPrincipal:    2, GraceOnInterestPayment: 3, GraceOnInterestCharged: 1,
		}, map[string]string{
			"{interestTerms}": " Interest is calculated for each day of the period an installment covers." +
				" No interest is charged for the period of the first installment." +
				" No interest is paid with the first 3\u00a0installments; the interest of their periods is paid with the later installments.",
			"{repaymentTerms}": " No principal is repaid with the first 2\u00a0installments.",
		}},
		{"one installment of interest grace", Schedule{GraceOnInterestPayment: 1, GraceOnInterestCharged: 2}, map[string]string{
			"{interestTerms}": " No interest is charged for the periods of the first 2\u00a0installments." +
				" No interest is paid with the first installment; the interest of its period is paid with the later installments.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sampleAgreement("John Smith", 6)
			a.Schedule = tt.schedule
			require.NoError(t, a.validate())
			fill := placeholders(&english, a)
			for placeholder, want := range tt.want {
				require.Equal(t, want, fill.Replace(placeholder), placeholder)
			}
		})
	}
}

func TestEveryMonthsAndFirstInstallmentsPlural(t *testing.T) {
	tests := []struct {
		lang  string
		every [4]string // 1, 2, 5, 21 months
		first [3]string // the first 2, 5, 21 installments
	}{
		{"eng", [4]string{"every month", "every 2 months", "every 5 months", "every 21 months"},
			[3]string{"the first 2 installments", "the first 5 installments", "the first 21 installments"}},
		{"ron", [4]string{"în fiecare lună", "la fiecare 2 luni", "la fiecare 5 luni", "la fiecare 21 de luni"},
			[3]string{"primele 2 rate", "primele 5 rate", "primele 21 de rate"}},
		{"rus", [4]string{"каждый месяц", "каждые 2 месяца", "каждые 5 месяцев", "каждый 21 месяц"},
			[3]string{"первые 2 платежа", "первые 5 платежей", "первый 21 платёж"}},
		{"sqi", [4]string{"çdo muaj", "çdo 2 muaj", "çdo 5 muaj", "çdo 21 muaj"},
			[3]string{"2 këstet e para", "5 këstet e para", "21 këstet e para"}},
		{"mkd", [4]string{"секој месец", "на секои 2 месеци", "на секои 5 месеци", "на секои 21 месеци"},
			[3]string{"првите 2 рати", "првите 5 рати", "првите 21 рати"}},
		{"bos", [4]string{"svakog mjeseca", "svaka 2 mjeseca", "svakih 5 mjeseci", "svaki 21 mjesec"},
			[3]string{"prve 2 rate", "prvih 5 rata", "prva 21 rata"}},
		{"bul", [4]string{"всеки месец", "на всеки 2 месеца", "на всеки 5 месеца", "на всеки 21 месеца"},
			[3]string{"първите 2 вноски", "първите 5 вноски", "първите 21 вноски"}},
	}
	for _, tt := range tests {
		l := languages[tt.lang]
		for i, n := range []int{1, 2, 5, 21} {
			require.Equal(t, tt.every[i], normalizeSpace(l.every(n, l.months(n))), "%s every %d", tt.lang, n)
		}
		for i, n := range []int{2, 5, 21} {
			require.Equal(t, tt.first[i], normalizeSpace(l.firstInstallments(n)), "%s first %d", tt.lang, n)
		}
	}
}
