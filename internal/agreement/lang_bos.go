package agreement

// Bosnian in the Latin script.
var bosnian = language{
	code:    "bos",
	tag:     "bs",
	numbers: numberFormat{group: ".", decimal: ",", spacedPercent: true},
	months: func(n int) string {
		return count(n, slavicPlural(n, "mjesec", "mjeseca", "mjeseci"))
	},
	days: func(n int) string {
		return count(n, slavicPlural(n, "dan", "dana", "dana"))
	},

	title:          "UGOVOR O ZAJMU br. {ref}",
	placeLabel:     "Mjesto zaključenja",
	dateLabel:      "Datum zaključenja",
	partiesHeading: "1. Ugovorne strane",
	partiesIntro:   "Ovaj ugovor se zaključuje između:",
	partiesOutro:   "u daljnjem tekstu zajedno: „Strane“, koje su se sporazumjele o sljedećem.",
	lender:         "Zajmodavac",
	partner:        "Partner (kreditni posrednik)",
	borrower:       "Zajmoprimac",
	identityNumber: "Jedinstveni matični broj (JMB)",
	birthDate:      "Datum rođenja",
	address:        "Adresa",
	phone:          "Telefon",

	termsHeading:    "2. Osnovni uslovi zajma",
	amount:          "Iznos zajma",
	currency:        "Valuta",
	term:            "Rok otplate",
	rate:            "Nominalna godišnja kamatna stopa (fiksna)",
	disbursementFee: "Naknada za isplatu",
	monthlyFee:      "Mjesečna naknada za vođenje",
	totalInterest:   "Ukupna kamata",
	totalFees:       "Ukupne naknade",
	totalRepayable:  "Ukupan iznos za otplatu",
	apr:             "Efektivna kamatna stopa (EKS)",
	firstRepayment:  "Datum prve otplate",

	clausesHeading: "3. Odredbe ugovora",
	clauses: [9]clause{
		{"Predmet ugovora.", "Zajmodavac odobrava Zajmoprimcu zajam u iznosu od {amount} (u daljnjem tekstu: „Zajam“), a Zajmoprimac se obavezuje da Zajam vrati zajedno s kamatom i naknadama utvrđenim ovim ugovorom, u skladu s planom otplate iz dijela 4."},
		{"Rok.", "Rok otplate Zajma je {term}. Prva rata dospijeva {first}, a posljednja rata {last}."},
		{"Kamata.", "Kamata se obračunava po fiksnoj nominalnoj godišnjoj kamatnoj stopi od {rate} {interestBase} i uključena je u {installmentsIncluded}.{interestTerms} Ukupna kamata za cijeli period iznosi {totalInterest}."},
		{"Naknade.", "Naplaćuju se naknada za isplatu u iznosu od {disbursementFee} i {administrationFee}. Ukupne naknade za cijeli period iznose {totalFees}. Osim naknada utvrđenih ovim ugovorom, ne naplaćuju se nikakve druge naknade."},
		{"Efektivna kamatna stopa.", "Efektivna kamatna stopa (EKS) iznosi {apr}. Izračunata je uz pretpostavku da ugovor ostaje na snazi tokom ugovorenog roka i da Strane svoje obaveze ispunjavaju na vrijeme. Ukupan iznos koji Zajmoprimac treba platiti iznosi {totalRepayable}."},
		{"Redoslijed otplate.", "Zajmoprimac otplaćuje Zajam u {installmentsRepaid}, u iznosima i na datume dospijeća utvrđene planom otplate iz dijela 4, u poslovnicama Partnera ili na bilo koji drugi način plaćanja koji Zajmodavac prihvata. Uplate se raspoređuju na rate redom, počevši od najstarije dospjele rate, a {allocation}.{repaymentTerms}"},
		{"Prijevremena otplata.", "Zajmoprimac može u bilo kojem trenutku prijevremeno otplatiti Zajam, u cijelosti ili djelimično. Pri potpunoj prijevremenoj otplati Zajmoprimac plaća preostalu glavnicu, već dospjele rate i kamatu obračunatu do dana otplate; kamata i naknade za kasnije periode se ne naplaćuju. {earlyRepaymentFee} {prepayment}"},
		{"Kašnjenje u plaćanju.", "Ako rata nije plaćena u cijelosti do datuma dospijeća, Zajmoprimac je u kašnjenju, o čemu ga Zajmodavac obavještava. {penalties} Ako dug ne bude izmiren, Zajmodavac može zahtijevati prijevremenu otplatu cjelokupnog preostalog duga, pod uslovima utvrđenim zakonom."},
		{"Završne odredbe.", "Ovaj ugovor stupa na snagu danom potpisivanja od strane obje Strane i važi do potpunog izmirenja obaveza Zajmoprimca. Ugovor je sačinjen u dva primjerka jednake pravne snage, po jedan za svaku Stranu. Zajmoprimac potvrđuje da je primio predugovorne informacije i primjerak ovog ugovora zajedno s planom otplate."},
	},

	scheduleHeading: "4. Plan otplate",
	columns:         [6]string{"Br.", "Datum dospijeća", "Glavnica", "Kamata", "Naknade", "Ukupno"},
	totalRow:        "Ukupno",
	scheduleNote:    "Iznosi su izraženi u {currency}.",

	signatureHeading: "5. Potpisi Strana",
	statement:        "Pročitao/la sam i razumio/la uslove ovog ugovora i saglasan/na sam s njima.",
	through:          "putem {partner}, {office}",
	signatureStamp:   "Potpis i pečat",
	signature:        "Potpis",
	footer:           "Ugovor o zajmu br. {ref} — stranica {page} od {pages}",

	allocation: [4]string{
		"unutar svake rate najprije na zateznu kamatu, zatim na naknade, kamatu i na kraju na glavnicu",
		"unutar svake rate najprije na kamatu, zatim na glavnicu, zateznu kamatu i na kraju na naknade",
		"unutar svake rate najprije na glavnicu, zatim na kamatu, zateznu kamatu i na kraju na naknade",
		"unutar svake dospjele rate najprije na zateznu kamatu, zatim na naknade, kamatu i na kraju na glavnicu; uplata za ratu koja još nije dospjela raspoređuje se najprije na njenu glavnicu, zatim na zateznu kamatu, naknade i kamatu",
	},
	prepayment: [3]string{
		"Iznos uplaćen preko dospjelog duga raspoređuje se na naredne rate redoslijedom utvrđenim u tački 3.6, a plan otplate ostaje nepromijenjen.",
		"Iznos uplaćen preko dospjelog duga prijevremeno otplaćuje glavnicu, a preostala glavnica raspoređuje se na iste preostale rate, koje se smanjuju.",
		"Iznos uplaćen preko dospjelog duga prijevremeno otplaćuje glavnicu, a iznos rate ostaje isti, pa preostaje manje rata.",
	},
	noEarlyRepaymentFee: "Naknada za prijevremenu otplatu se ne naplaćuje.",
	earlyRepaymentFee:   "Pri potpunoj prijevremenoj otplati naplaćuje se naknada za prijevremenu otplatu od {earlyFee} prijevremeno otplaćene glavnice; ona ne prelazi {feeCapLong} te glavnice kada do kraja roka preostaje više od jedne godine, {feeCapShort} kada preostaje jedna godina ili manje, niti kamatu koju Zajmoprimac uštedi prijevremenom otplatom.",
	noPenalties:         "Penali za kašnjenje se ne naplaćuju.",
	penaltiesFrom: [2]string{
		"Penali za kašnjenje primjenjuju se na ratu koja nije plaćena nakon datuma dospijeća.",
		"Penali za kašnjenje primjenjuju se na ratu koja nije plaćena ni {graceDays} nakon datuma dospijeća.",
	},
	lateFeeRule:     "Za svaku takvu ratu jednokratno se naplaćuje naknada za kašnjenje od {lateFee}.",
	penaltyRateRule: "Na dospjelu neplaćenu glavnicu rate dnevno se obračunava zatezna kamata po stopi od {penaltyRate} godišnje.",
	penaltyCap: [2]string{
		"Penali za kašnjenje nisu ograničeni osim granicama utvrđenim važećim propisima.",
		"Ukupni penali za kašnjenje ne prelaze {penaltyCap} iznosa Zajma.",
	},

	every: func(n int, months string) string {
		if n == 1 {
			return "svakog mjeseca"
		}
		return slavicPlural(n, "svaki", "svaka", "svakih") + " " + months
	},
	firstInstallments: func(n int) string {
		return slavicPlural(n, "prva", "prve", "prvih") + " " + count(n, slavicPlural(n, "rata", "rate", "rata"))
	},
	interestBase: [2]string{
		"na neotplaćeni dio glavnice",
		"na cijeli iznos Zajma za cijeli period, bez obzira na to koliko je od njega otplaćeno,",
	},
	installmentsIncluded: [2]string{"mjesečne rate", "rate koje dospijevaju {every}"},
	installmentsRepaid:   [2]string{"mjesečnim ratama", "ratama koje dospijevaju {every}"},
	administrationFee:    [2]string{"mjesečna naknada za vođenje u iznosu od {monthlyFee}", "naknada za vođenje u iznosu od {monthlyFee} uz svaku ratu"},
	installmentFee:       "Naknada za vođenje po rati",
	dailyInterest:        "Kamata se obračunava za svaki dan perioda koji rata obuhvata.",
	equalPrincipal: [2]string{
		"Glavnica se otplaćuje u jednakim dijelovima, pa se rate smanjuju kako se smanjuje kamata na neotplaćeni dio glavnice.",
		"Glavnica se otplaćuje u jednakim dijelovima.",
	},
	graceOnPrincipal: [2]string{
		"Glavnica se ne otplaćuje kroz prvu ratu.",
		"Glavnica se ne otplaćuje kroz {grace}.",
	},
	graceOnInterestPayment: [2]string{
		"Kamata se ne plaća kroz prvu ratu; kamata za njen period plaća se uz kasnije rate.",
		"Kamata se ne plaća kroz {grace}; kamata za njihove periode plaća se uz kasnije rate.",
	},
	graceOnInterestCharged: [2]string{
		"Za period koji pokriva prva rata kamata se ne obračunava.",
		"Za periode koje pokrivaju {grace} kamata se ne obračunava.",
	},
}
