package api

import (
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/models"
)

// readPage reads the page (from 1) and page_size (1 to models.MaxListLimit, models.DefaultListLimit
// when absent) parameters of a list.
func readPage(c *gin.Context, errs *failure.FieldErrors) (page, pageSize int) {
	page, pageSize = 1, models.DefaultListLimit
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			errs.Add("page", "must be a positive integer")
		} else {
			page = n
		}
	}
	if v := c.Query("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > models.MaxListLimit {
			errs.Add("page_size", "must be an integer from 1 to %d", models.MaxListLimit)
		} else {
			pageSize = n
		}
	}
	return page, pageSize
}

// readEach reads a list parameter sent repeated, comma-separated or both; parse reads one item, and
// an item it refuses is named under field, in refused (a format of the item).
func readEach[T any](c *gin.Context, errs *failure.FieldErrors, field string, parse func(string) (T, bool), refused string) []T {
	var out []T
	for _, v := range c.QueryArray(field) {
		for _, item := range strings.Split(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			if t, ok := parse(item); ok {
				out = append(out, t)
			} else {
				errs.Add(field, refused, item)
			}
		}
	}
	return out
}

// readDays reads the from and to parameters, dates YYYY-MM-DD, as a range of whole days: to names a
// day and includes it, so the range ends at the next midnight.
func readDays(c *gin.Context, errs *failure.FieldErrors) (from, to *time.Time) {
	if v := c.Query("from"); v != "" {
		if t, ok := parseDate(v); ok {
			from = &t
		} else {
			errs.Add("from", "must be a date YYYY-MM-DD")
		}
	}
	if v := c.Query("to"); v != "" {
		if t, ok := parseDate(v); ok {
			end := t.AddDate(0, 0, 1)
			to = &end
		} else {
			errs.Add("to", "must be a date YYYY-MM-DD")
		}
	}
	if from != nil && to != nil && !from.Before(*to) {
		errs.Add("to", "must not be before from")
	}
	return from, to
}
