package models

import (
	"context"

	"github.com/loanflow/loanflow/lending"
)

// AddDocument stores an uploaded file for a loan. An empty Status is
// lending.DocStatusSubmitted; a missing loan is ErrNotFound.
func (s *Store) AddDocument(ctx context.Context, d *Document) error {
	if d.Status == "" {
		d.Status = lending.DocStatusSubmitted
	}
	if d.Data == nil {
		// The column is NOT NULL; an empty file is zero bytes, not NULL.
		d.Data = []byte{}
	}
	if err := s.db(ctx).Create(d).Error; err != nil {
		return writeErr("add document", missingLoan(d.LoanRef, err))
	}
	return nil
}

// Documents lists a loan's documents in upload order, without their Data.
func (s *Store) Documents(ctx context.Context, ref int64) ([]Document, error) {
	// Listings must not drag the file contents out of the database.
	return listRows[Document](s.db(ctx).Omit("data").Where("loan_ref = ?", ref), "id", "documents")
}

// GetDocument reads one document of a loan, with its Data. A document of
// another loan is ErrNotFound.
func (s *Store) GetDocument(ctx context.Context, ref int64, id uint) (*Document, error) {
	return takeOne[Document](s.db(ctx), "get document", "loan_ref = ? AND id = ?", ref, id)
}
