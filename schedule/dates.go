package schedule

import "time"

// span is one repayment period's dates: interest runs from From to Due.
type span struct {
	From, Due time.Time
}

// daysIn returns the number of calendar days from a to b (both UTC midnights).
func daysIn(a, b time.Time) int {
	return int((b.Unix() - a.Unix()) / 86400)
}

func daysInMonth(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	default:
		return 31
	}
}

func isLeap(y int) bool {
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

func daysInYearOf(y int) int {
	if isLeap(y) {
		return 366
	}
	return 365
}

// addMonths adds n months like java.time.LocalDate.plusMonths: the day is clamped to the month's
// length (31 Jan + 1 month = 28/29 Feb), where time.AddDate would overflow into March.
func addMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	total := int(m) - 1 + n
	y += total / 12
	total %= 12
	if total < 0 {
		total += 12
		y--
	}
	nm := time.Month(total + 1)
	if dim := daysInMonth(y, nm); day > dim {
		day = dim
	}
	return time.Date(y, nm, day, 0, 0, 0, 0, time.UTC)
}

// addPeriods moves d forward by every units of f.
func addPeriods(d time.Time, f Frequency, every int) time.Time {
	switch f {
	case Days:
		return d.AddDate(0, 0, every)
	case Weeks:
		return d.AddDate(0, 0, 7*every)
	case Years:
		return addMonths(d, 12*every)
	default:
		return addMonths(d, every)
	}
}

// realign puts a monthly due date back on the seed's day of month when the seed is past the 28th and
// the candidate has been clamped (Fineract's CalendarUtils.adjustDate), so a schedule seeded on the
// 31st runs 31 Jan, 28 Feb, 31 Mar, 30 Apr instead of drifting to the 28th.
func realign(d time.Time, seedDay int, f Frequency) time.Time {
	if f != Months || seedDay <= 28 || d.Day() < 28 {
		return d
	}
	day := min(seedDay, daysInMonth(d.Year(), d.Month()))
	return time.Date(d.Year(), d.Month(), day, 0, 0, 0, 0, time.UTC)
}

// dueDates generates the repayment periods starting at start: the first due date is first when given,
// otherwise start plus one repayment interval; each next one is the previous plus the interval,
// realigned to the seed day.
func dueDates(start time.Time, first *time.Time, n, every int, f Frequency) []span {
	out := make([]span, n)
	seed := start
	if first != nil {
		seed = utcDate(*first)
	}
	prev := start
	for i := range n {
		var due time.Time
		if i == 0 && first != nil {
			due = utcDate(*first)
		} else {
			due = realign(addPeriods(prev, f, every), seed.Day(), f)
		}
		out[i] = span{From: prev, Due: due}
		prev = due
	}
	return out
}

// gridSeed is the date whose day of month the due dates keep: the first repayment date, else the first
// explicit due date, else the schedule start.
func gridSeed(t Terms) time.Time {
	switch {
	case t.FirstRepaymentDate != nil:
		return utcDate(*t.FirstRepaymentDate)
	case len(t.DueDates) > 0:
		return utcDate(t.DueDates[0])
	}
	return scheduleStart(t)
}

// repaymentSpans is the repayment periods of normalized terms from start: between their explicit due
// dates when they have them, on the generated grid otherwise.
func repaymentSpans(t Terms, start time.Time) []span {
	if len(t.DueDates) == 0 {
		return dueDates(start, t.FirstRepaymentDate, t.NumberOfRepayments, t.RepaymentEvery, t.RepaymentFrequency)
	}
	out := make([]span, len(t.DueDates))
	prev := start
	for i, d := range t.DueDates {
		out[i] = span{From: prev, Due: utcDate(d)}
		prev = out[i].Due
	}
	return out
}

// ShiftDueDate moves d, a due date of t's schedule, periods repayment intervals later and back onto the
// schedule's day of month (a schedule seeded on the 31st moves 28 February to 31 March, not the 28th):
// the date the grid would have had that many installments on.
func (t Terms) ShiftDueDate(d time.Time, periods int) time.Time {
	n := t.Normalize()
	moved := addPeriods(utcDate(d), n.RepaymentFrequency, n.RepaymentEvery*periods)
	return realign(moved, gridSeed(n).Day(), n.RepaymentFrequency)
}
