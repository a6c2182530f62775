package agreement

// Romanian for Moldova and Romania, with the comma-below ș ț (U+0219,
// U+021B) rather than the legacy cedilla forms.
var romanian = language{
	code:    "ron",
	tag:     "ro",
	numbers: numberFormat{group: ".", decimal: ",", spacedPercent: true},
	months: func(n int) string {
		// Romanian puts "de" between a number and its noun from 20 on
		// (except where the last two digits are 01–19): 12 luni, 24 de luni.
		switch rem := n % 100; {
		case n == 1:
			return count(n, "lună")
		case rem == 0 || rem >= 20:
			return count(n, "de"+nbsp+"luni")
		default:
			return count(n, "luni")
		}
	},
	days: func(n int) string {
		// As months: 1 zi, 3 zile, 20 de zile.
		switch rem := n % 100; {
		case n == 1:
			return count(n, "zi")
		case rem == 0 || rem >= 20:
			return count(n, "de"+nbsp+"zile")
		default:
			return count(n, "zile")
		}
	},

	title:          "CONTRACT DE ÎMPRUMUT nr. {ref}",
	placeLabel:     "Locul încheierii",
	dateLabel:      "Data încheierii",
	partiesHeading: "1. Părțile contractului",
	partiesIntro:   "Prezentul contract se încheie între:",
	partiesOutro:   "denumite în continuare împreună „Părțile”, care au convenit asupra celor ce urmează.",
	lender:         "Creditor",
	partner:        "Partener (intermediar de credit)",
	borrower:       "Împrumutat",
	identityNumber: "Cod personal",
	birthDate:      "Data nașterii",
	address:        "Adresa",
	phone:          "Telefon",

	termsHeading:    "2. Condițiile principale ale împrumutului",
	amount:          "Suma împrumutului",
	currency:        "Moneda",
	term:            "Termenul",
	rate:            "Rata anuală nominală a dobânzii (fixă)",
	disbursementFee: "Comision de acordare",
	monthlyFee:      "Comision lunar de administrare",
	totalInterest:   "Dobânda totală",
	totalFees:       "Comisioane totale",
	totalRepayable:  "Suma totală plătibilă",
	apr:             "Dobânda anuală efectivă (DAE)",
	firstRepayment:  "Data primei rambursări",

	clausesHeading: "3. Clauze contractuale",
	clauses: [9]clause{
		{"Obiectul contractului.", "Creditorul acordă Împrumutatului un împrumut în sumă de {amount} (denumit în continuare „Împrumutul”), iar Împrumutatul se obligă să ramburseze Împrumutul împreună cu dobânda și comisioanele prevăzute în prezentul contract, conform graficului de rambursare din secțiunea 4."},
		{"Termenul.", "Împrumutul se acordă pe un termen de {term}. Prima rată este scadentă la {first}, iar ultima rată la {last}."},
		{"Dobânda.", "Dobânda se calculează la o rată anuală nominală fixă de {rate} {interestBase} și este inclusă în {installmentsIncluded}.{interestTerms} Dobânda totală pentru întreaga perioadă este de {totalInterest}."},
		{"Comisioanele.", "Se percep un comision de acordare de {disbursementFee} și {administrationFee}. Comisioanele totale pentru întreaga perioadă sunt de {totalFees}. Nu se percep alte comisioane decât cele prevăzute în prezentul contract."},
		{"Dobânda anuală efectivă.", "Dobânda anuală efectivă (DAE) este de {apr}. Aceasta este calculată presupunând că contractul rămâne valabil pe perioada convenită și că Părțile își îndeplinesc obligațiile la termen. Suma totală plătibilă de către Împrumutat este de {totalRepayable}."},
		{"Ordinea de rambursare.", "Împrumutatul rambursează Împrumutul în {installmentsRepaid}, în cuantumurile și la datele scadente prevăzute în graficul de rambursare din secțiunea 4, la oficiile Partenerului sau prin orice altă modalitate de plată acceptată de Creditor. Plățile se alocă ratelor în ordine, începând cu cea mai veche rată scadentă, iar {allocation}.{repaymentTerms}"},
		{"Rambursarea anticipată.", "Împrumutatul poate rambursa Împrumutul anticipat, integral sau parțial, în orice moment. La rambursarea anticipată integrală, Împrumutatul achită principalul rămas, ratele deja scadente și dobânda calculată până la data rambursării; dobânda și comisioanele pentru perioadele ulterioare nu se percep. {earlyRepaymentFee} {prepayment}"},
		{"Întârzierea la plată.", "Dacă o rată nu este achitată integral până la data scadentă, Împrumutatul intră în întârziere, iar Creditorul îl notifică pe Împrumutat despre restanță. {penalties} Dacă restanța nu este achitată, Creditorul poate solicita rambursarea anticipată a întregii sume datorate, în condițiile prevăzute de lege."},
		{"Dispoziții finale.", "Prezentul contract intră în vigoare la data semnării de către ambele Părți și este valabil până la executarea integrală a obligațiilor Împrumutatului. Contractul este întocmit în două exemplare cu aceeași putere juridică, câte unul pentru fiecare Parte. Împrumutatul confirmă că a primit informațiile precontractuale și un exemplar al prezentului contract împreună cu graficul de rambursare."},
	},

	scheduleHeading: "4. Graficul de rambursare",
	columns:         [6]string{"Nr.", "Data scadentă", "Principal", "Dobândă", "Comisioane", "Total"},
	totalRow:        "Total",
	scheduleNote:    "Sumele sunt exprimate în {currency}.",

	signatureHeading: "5. Semnăturile Părților",
	statement:        "Am citit și am înțeles condițiile prezentului contract și sunt de acord cu ele.",
	through:          "prin {partner}, {office}",
	signatureStamp:   "Semnătura și ștampila",
	signature:        "Semnătura",
	footer:           "Contract de împrumut nr. {ref} — pagina {page} din {pages}",

	allocation: [4]string{
		"în cadrul fiecărei rate mai întâi penalităților de întârziere, apoi comisioanelor, dobânzii și, la final, principalului",
		"în cadrul fiecărei rate mai întâi dobânzii, apoi principalului, penalităților de întârziere și, la final, comisioanelor",
		"în cadrul fiecărei rate mai întâi principalului, apoi dobânzii, penalităților de întârziere și, la final, comisioanelor",
		"în cadrul fiecărei rate scadente mai întâi penalităților de întârziere, apoi comisioanelor, dobânzii și, la final, principalului; o plată pentru o rată încă nescadentă se alocă mai întâi principalului acesteia, apoi penalităților, comisioanelor și dobânzii",
	},
	prepayment: [3]string{
		"Sumele plătite peste cele datorate se alocă ratelor următoare în ordinea prevăzută la punctul 3.6, iar graficul de rambursare rămâne neschimbat.",
		"Sumele plătite peste cele datorate rambursează anticipat principalul, iar principalul rămas se repartizează pe aceleași rate rămase, care devin mai mici.",
		"Sumele plătite peste cele datorate rambursează anticipat principalul, iar cuantumul ratei rămâne același, astfel încât rămân mai puține rate.",
	},
	noEarlyRepaymentFee: "Nu se percepe niciun comision de rambursare anticipată.",
	earlyRepaymentFee:   "La rambursarea anticipată integrală se percepe un comision de rambursare anticipată de {earlyFee} din principalul rambursat anticipat; acesta nu depășește {feeCapLong} din acest principal dacă până la sfârșitul termenului rămâne mai mult de un an, {feeCapShort} dacă rămâne un an sau mai puțin, și nici dobânda pe care Împrumutatul o economisește prin rambursarea anticipată.",
	noPenalties:         "Nu se percep penalități de întârziere.",
	penaltiesFrom: [2]string{
		"Penalitățile de întârziere se aplică unei rate neachitate după data scadentă.",
		"Penalitățile de întârziere se aplică unei rate încă neachitate la {graceDays} după data scadentă.",
	},
	lateFeeRule:     "Pentru fiecare astfel de rată se percepe o singură dată un comision de întârziere de {lateFee}.",
	penaltyRateRule: "Asupra principalului restant al ratei se calculează zilnic o dobândă penalizatoare de {penaltyRate} pe an.",
	penaltyCap: [2]string{
		"Penalitățile de întârziere nu sunt plafonate altfel decât prin limitele prevăzute de legislația aplicabilă.",
		"Totalul penalităților de întârziere nu depășește {penaltyCap} din suma Împrumutului.",
	},

	every: func(n int, months string) string {
		if n == 1 {
			return "în fiecare lună"
		}
		return "la fiecare " + months
	},
	firstInstallments: func(n int) string {
		// As months: primele 2 rate, primele 20 de rate.
		if rem := n % 100; rem == 0 || rem >= 20 {
			return "primele " + count(n, "de"+nbsp+"rate")
		}
		return "primele " + count(n, "rate")
	},
	interestBase: [2]string{
		"asupra soldului principalului",
		"asupra întregii sume a Împrumutului, pentru toată perioada, indiferent cât din aceasta a fost rambursat,",
	},
	installmentsIncluded: [2]string{"ratele lunare", "ratele, care devin scadente {every}"},
	installmentsRepaid:   [2]string{"rate lunare", "rate scadente {every}"},
	administrationFee:    [2]string{"un comision lunar de administrare de {monthlyFee}", "un comision de administrare de {monthlyFee} la fiecare rată"},
	installmentFee:       "Comision de administrare pentru fiecare rată",
	dailyInterest:        "Dobânda se calculează pentru fiecare zi din perioada acoperită de o rată.",
	equalPrincipal: [2]string{
		"Principalul se rambursează în părți egale, astfel încât ratele scad pe măsură ce scade dobânda asupra soldului principalului.",
		"Principalul se rambursează în părți egale.",
	},
	graceOnPrincipal: [2]string{
		"Nu se rambursează principal odată cu prima rată.",
		"Nu se rambursează principal odată cu {grace}.",
	},
	graceOnInterestPayment: [2]string{
		"Nu se plătește dobândă odată cu prima rată; dobânda aferentă perioadei sale se plătește odată cu ratele următoare.",
		"Nu se plătește dobândă odată cu {grace}; dobânda aferentă perioadelor lor se plătește odată cu ratele următoare.",
	},
	graceOnInterestCharged: [2]string{
		"Pentru perioada primei rate nu se calculează dobândă.",
		"Pentru {grace} nu se calculează dobândă aferentă perioadelor lor.",
	},
}
