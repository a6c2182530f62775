package models

import (
	"fmt"

	"gorm.io/gorm"
)

// page reads one page of the rows q selects, in order, and how many it selects over all pages. A
// limit of zero or less is DefaultListLimit, and none is above MaxListLimit; what names the rows in
// errors.
func page[T any](q *gorm.DB, what, order string, limit, offset int) ([]T, int64, error) {
	// A session lets the count and the page each build on the filter
	// without one's clauses leaking into the other.
	q = q.Session(&gorm.Session{})
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("models: count %s: %w", what, err)
	}
	if limit <= 0 {
		limit = DefaultListLimit
	}
	out := []T{}
	if err := q.Order(order).Limit(min(limit, MaxListLimit)).Offset(max(offset, 0)).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("models: list %s: %w", what, err)
	}
	return out, total, nil
}

// timeOrder orders rows by the time column, then the tiebreak column, newest first unless oldestFirst.
func timeOrder(time, tiebreak string, oldestFirst bool) string {
	dir := "DESC"
	if oldestFirst {
		dir = "ASC"
	}
	return time + " " + dir + ", " + tiebreak + " " + dir
}

// listRows lists the rows of T that q selects, in order; none is an empty list, never nil, and what
// names the read in errors.
func listRows[T any](q *gorm.DB, order, what string) ([]T, error) {
	out := []T{}
	if err := q.Order(order).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: %s: %w", what, err)
	}
	return out, nil
}

// takeOne reads the one row of T that query (with args) selects; none is ErrNotFound, and what names
// the read in errors.
func takeOne[T any](db *gorm.DB, what, query string, args ...any) (*T, error) {
	var row T
	if err := db.Where(query, args...).Take(&row).Error; err != nil {
		return nil, readErr(what, err)
	}
	return &row, nil
}
