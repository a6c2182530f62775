package main

import (
	"io"

	"github.com/loanflow/loanflow/internal/schedulecmd"
)

func runSchedule(stdin io.Reader, stdout, stderr io.Writer) int {
	return schedulecmd.Run(stdin, stdout, stderr)
}
