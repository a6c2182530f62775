package agreement

// Albanian, served for both alb and sqi.
var albanian = language{
	code:    "sqi",
	tag:     "sq",
	numbers: numberFormat{group: nbsp, decimal: ",", spacedPercent: true},
	months: func(n int) string {
		// "muaj" does not change after a number: 1 muaj, 12 muaj.
		return count(n, "muaj")
	},
	days: func(n int) string {
		// "ditë" does not change after a number either: 1 ditë, 3 ditë.
		return count(n, "ditë")
	},

	title:          "KONTRATË HUAJE nr. {ref}",
	placeLabel:     "Vendi i lidhjes",
	dateLabel:      "Data e lidhjes",
	partiesHeading: "1. Palët e kontratës",
	partiesIntro:   "Kjo kontratë lidhet ndërmjet:",
	partiesOutro:   "të quajtura më tej së bashku „Palët“, të cilat kanë rënë dakord si më poshtë.",
	lender:         "Huadhënësi",
	partner:        "Partneri (ndërmjetës krediti)",
	borrower:       "Huamarrësi",
	identityNumber: "Numri personal",
	birthDate:      "Datëlindja",
	address:        "Adresa",
	phone:          "Telefoni",

	termsHeading:    "2. Kushtet kryesore të huasë",
	amount:          "Shuma e huasë",
	currency:        "Monedha",
	term:            "Afati",
	rate:            "Norma vjetore nominale e interesit (fikse)",
	disbursementFee: "Komisioni i disbursimit",
	monthlyFee:      "Komisioni mujor i administrimit",
	totalInterest:   "Interesi total",
	totalFees:       "Komisionet totale",
	totalRepayable:  "Shuma totale për t’u paguar",
	apr:             "Norma efektive e interesit (NEI)",
	firstRepayment:  "Data e pagesës së parë",

	clausesHeading: "3. Kushtet e kontratës",
	clauses: [9]clause{
		{"Objekti i kontratës.", "Huadhënësi i jep Huamarrësit një hua në shumën {amount} (më tej „Huaja“), ndërsa Huamarrësi merr përsipër ta kthejë Huanë së bashku me interesin dhe komisionet e parashikuara në këtë kontratë, sipas grafikut të shlyerjes në seksionin 4."},
		{"Afati.", "Huaja jepet me afat {term}. Kësti i parë duhet paguar më {first}, ndërsa kësti i fundit më {last}."},
		{"Interesi.", "Interesi llogaritet me një normë vjetore nominale fikse prej {rate} {interestBase} dhe përfshihet në {installmentsIncluded}.{interestTerms} Interesi total për të gjithë periudhën është {totalInterest}."},
		{"Komisionet.", "Aplikohen një komision disbursimi prej {disbursementFee} dhe {administrationFee}. Komisionet totale për të gjithë periudhën janë {totalFees}. Nuk aplikohen komisione të tjera përveç atyre të parashikuara në këtë kontratë."},
		{"Norma efektive e interesit.", "Norma efektive e interesit (NEI) është {apr}. Ajo është llogaritur duke supozuar se kontrata mbetet në fuqi gjatë afatit të rënë dakord dhe se Palët i përmbushin detyrimet e tyre në kohë. Shuma totale që duhet të paguajë Huamarrësi është {totalRepayable}."},
		{"Rendi i shlyerjes.", "Huamarrësi e shlyen Huanë me {installmentsRepaid}, në shumat dhe në datat e maturimit të përcaktuara në grafikun e shlyerjes në seksionin 4, në zyrat e Partnerit ose me çdo mënyrë tjetër pagese të pranuar nga Huadhënësi. Pagesat shlyejnë këstet sipas radhës, duke filluar nga kësti më i vjetër i maturuar, dhe {allocation}.{repaymentTerms}"},
		{"Shlyerja e parakohshme.", "Huamarrësi mund ta shlyejë Huanë para afatit, plotësisht ose pjesërisht, në çdo kohë. Në rast shlyerjeje të plotë të parakohshme, Huamarrësi paguan principalin e mbetur, këstet e maturuara dhe interesin e llogaritur deri në datën e shlyerjes; interesi dhe komisionet për periudhat e mëvonshme nuk aplikohen. {earlyRepaymentFee} {prepayment}"},
		{"Vonesa në pagesë.", "Nëse një këst nuk paguhet plotësisht deri në datën e maturimit, Huamarrësi është në vonesë dhe Huadhënësi e njofton Huamarrësin për vonesën. {penalties} Nëse detyrimi i prapambetur nuk shlyhet, Huadhënësi mund të kërkojë shlyerjen e parakohshme të të gjithë shumës së mbetur, sipas kushteve të parashikuara me ligj."},
		{"Dispozita përfundimtare.", "Kjo kontratë hyn në fuqi në datën e nënshkrimit nga të dyja Palët dhe mbetet në fuqi deri në përmbushjen e plotë të detyrimeve të Huamarrësit. Ajo është hartuar në dy kopje me fuqi të njëjtë juridike, një për secilën Palë. Huamarrësi konfirmon se ka marrë informacionin parakontraktor dhe një kopje të kësaj kontrate së bashku me grafikun e shlyerjes."},
	},

	scheduleHeading: "4. Grafiku i shlyerjes",
	columns:         [6]string{"Nr.", "Data e maturimit", "Principali", "Interesi", "Komisionet", "Totali"},
	totalRow:        "Totali",
	scheduleNote:    "Shumat janë në {currency}.",

	signatureHeading: "5. Nënshkrimet e Palëve",
	statement:        "E kam lexuar dhe e kam kuptuar këtë kontratë dhe jam dakord me kushtet e saj.",
	through:          "nëpërmjet {partner}, {office}",
	signatureStamp:   "Nënshkrimi dhe vula",
	signature:        "Nënshkrimi",
	footer:           "Kontratë huaje nr. {ref} — faqja {page} nga {pages}",

	allocation: [4]string{
		"brenda çdo kësti fillimisht kamatëvonesat, pastaj komisionet, interesin dhe në fund principalin",
		"brenda çdo kësti fillimisht interesin, pastaj principalin, kamatëvonesat dhe në fund komisionet",
		"brenda çdo kësti fillimisht principalin, pastaj interesin, kamatëvonesat dhe në fund komisionet",
		"brenda çdo kësti të maturuar fillimisht kamatëvonesat, pastaj komisionet, interesin dhe në fund principalin; një pagesë për një këst ende të pamaturuar shlyen fillimisht principalin e tij, pastaj kamatëvonesat, komisionet dhe interesin",
	},
	prepayment: [3]string{
		"Shumat e paguara përtej detyrimit të maturuar përdoren për këstet e ardhshme sipas rendit të përcaktuar në pikën 3.6, dhe grafiku i shlyerjes mbetet i pandryshuar.",
		"Shumat e paguara përtej detyrimit të maturuar shlyejnë para afatit principalin, dhe principali i mbetur shpërndahet në të njëjtat këste të mbetura, të cilat zvogëlohen.",
		"Shumat e paguara përtej detyrimit të maturuar shlyejnë para afatit principalin, dhe shuma e këstit mbetet e njëjtë, kështu që mbeten më pak këste.",
	},
	noEarlyRepaymentFee: "Nuk aplikohet asnjë komision për shlyerjen e parakohshme.",
	earlyRepaymentFee:   "Në rast shlyerjeje të plotë të parakohshme aplikohet një komision për shlyerjen e parakohshme prej {earlyFee} të principalit të shlyer para afatit; ai nuk e kalon {feeCapLong} të këtij principali kur deri në fund të afatit mbetet më shumë se një vit, {feeCapShort} kur mbetet një vit ose më pak, dhe as interesin që Huamarrësi kursen me shlyerjen e parakohshme.",
	noPenalties:         "Nuk aplikohet asnjë kamatëvonesë.",
	penaltiesFrom: [2]string{
		"Kamatëvonesa aplikohet për një këst të papaguar pas datës së maturimit.",
		"Kamatëvonesa aplikohet për një këst ende të papaguar {graceDays} pas datës së maturimit.",
	},
	lateFeeRule:     "Për çdo këst të tillë aplikohet një herë një tarifë vonese prej {lateFee}.",
	penaltyRateRule: "Mbi principalin e prapambetur të këstit llogaritet çdo ditë kamatëvonesë prej {penaltyRate} në vit.",
	penaltyCap: [2]string{
		"Kamatëvonesa nuk kufizohet përveçse brenda kufijve të përcaktuar nga legjislacioni në fuqi.",
		"Kamatëvonesa gjithsej nuk e kalon {penaltyCap} të shumës së Huasë.",
	},

	every: func(n int, months string) string {
		if n == 1 {
			return "çdo muaj"
		}
		return "çdo " + months
	},
	firstInstallments: func(n int) string { return count(n, "këstet e para") },
	interestBase: [2]string{
		"mbi principalin e papaguar",
		"mbi të gjithë shumën e Huasë për të gjithë periudhën, pavarësisht sa prej saj është shlyer,",
	},
	installmentsIncluded: [2]string{"këstet mujore", "këstet, që maturohen {every}"},
	installmentsRepaid:   [2]string{"këste mujore", "këste që maturohen {every}"},
	administrationFee:    [2]string{"një komision mujor administrimi prej {monthlyFee}", "një komision administrimi prej {monthlyFee} me çdo këst"},
	installmentFee:       "Komisioni i administrimit për çdo këst",
	dailyInterest:        "Interesi llogaritet për çdo ditë të periudhës që mbulon një këst.",
	equalPrincipal: [2]string{
		"Principali shlyhet në pjesë të barabarta, prandaj këstet zvogëlohen ndërsa zvogëlohet interesi mbi principalin e papaguar.",
		"Principali shlyhet në pjesë të barabarta.",
	},
	graceOnPrincipal: [2]string{
		"Principali nuk shlyhet me këstin e parë.",
		"Principali nuk shlyhet me {grace}.",
	},
	graceOnInterestPayment: [2]string{
		"Interesi nuk paguhet me këstin e parë; interesi i periudhës së tij paguhet me këstet e mëvonshme.",
		"Interesi nuk paguhet me {grace}; interesi i periudhave të tyre paguhet me këstet e mëvonshme.",
	},
	graceOnInterestCharged: [2]string{
		"Për periudhën e këstit të parë nuk llogaritet interes.",
		"Për {grace} nuk llogaritet interes për periudhat e tyre.",
	},
}
