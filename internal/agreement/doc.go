// Package agreement renders the loan agreement a borrower signs, as a PDF, in
// the languages of the markets loanflow serves (eng, ron, rus, alb/sqi, mkd,
// bos, bul).
//
// Every language has the same structure (title, parties, main terms, clauses,
// repayment schedule, signatures) so that a lawyer can compare versions
// clause by clause. The text is set in an embedded DejaVu Sans, which covers
// Latin Extended and Cyrillic, so the document does not depend on fonts
// installed on the machine. Rendering is deterministic: the same agreement
// gives the same bytes, which keeps stored documents and tests comparable.
package agreement
