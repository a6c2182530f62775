// Package schedulecmd is the body of `loanflow schedule`: it reads one JSON request of the schedule
// contract (issue 3) on stdin, computes the schedule with package schedule and writes the JSON result
// on stdout. Bad requests get a problem list naming every bad field on stderr and exit status 2.
//
// ParseRequest and NewResult are exported so the HTTP quote endpoint can speak the same contract.
package schedulecmd
