package servicing

import (
	"strconv"
	"time"
)

// Delinquency is how late the loan is on AsOf.
type Delinquency struct {
	AsOf time.Time `json:"as_of"`
	// DaysPastDue counts from the due date of the oldest installment not fully paid (0 when none is
	// past due).
	DaysPastDue int `json:"days_past_due"`
	// Bucket is BucketCurrent or the policy's bucket holding DaysPastDue ("1-30", …, "90+").
	Bucket string `json:"bucket"`
	// Oldest is that installment's number, 0 when none.
	Oldest int `json:"oldest"`
}

// Delinquency reports the days past due and the delinquency bucket on asOf. A written-off loan owes
// nothing any more and is reported current.
func (a *Account) Delinquency(asOf time.Time) Delinquency {
	asOf = day(asOf)
	d := Delinquency{AsOf: asOf, Bucket: BucketCurrent}
	if a.WrittenOffOn != nil {
		return d
	}
	for i := range a.Installments {
		in := &a.Installments[i]
		if !in.DueDate.Before(asOf) {
			break
		}
		if in.Outstanding().IsPositive() {
			d.DaysPastDue = int(daysBetween(in.DueDate, asOf))
			d.Oldest = in.Number
			d.Bucket = bucket(a.Policy.Buckets, d.DaysPastDue)
			break
		}
	}
	return d
}

// bucket names the bucket of dpd days past due under ascending upper bounds.
func bucket(bounds []int, dpd int) string {
	if dpd <= 0 {
		return BucketCurrent
	}
	lower := 1
	for _, b := range bounds {
		if dpd <= b {
			return strconv.Itoa(lower) + "-" + strconv.Itoa(b)
		}
		lower = b + 1
	}
	return strconv.Itoa(bounds[len(bounds)-1]) + "+"
}
