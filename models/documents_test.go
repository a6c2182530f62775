package models

import (
	"bytes"
	"context"
	"testing"

	"github.com/loanflow/loanflow/lending"
	"github.com/stretchr/testify/require"
)

func TestDocuments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p := createPartner(t, s, "docs")
		l := newLoan(p.ID, "2000000000020", "1000")
		require.NoError(t, s.CreateLoan(ctx, l))
		other := newLoan(p.ID, "2000000000021", "1000")
		require.NoError(t, s.CreateLoan(ctx, other))

		// Every byte value, so nothing is mangled as text.
		data := make([]byte, 0, 512)
		for i := range 512 {
			data = append(data, byte(i))
		}
		docs := []*Document{
			{LoanRef: l.Ref, Kind: lending.DocSignedAgreement, Filename: "agreement.pdf", ContentType: "application/pdf", Size: int64(len(data)), SHA256: "abc", Data: data, UploadedBy: "partner:docs"},
			{LoanRef: l.Ref, Kind: lending.DocBankStatement, Filename: "statement.png", ContentType: "image/png", Status: lending.DocStatusRejected, UploadedBy: "partner:docs"},
			{LoanRef: other.Ref, Kind: lending.DocIDCopy, Filename: "id.jpg", ContentType: "image/jpeg", Data: []byte{1}},
		}
		for _, d := range docs {
			require.NoError(t, s.AddDocument(ctx, d))
			require.NotZero(t, d.ID)
		}

		list, err := s.Documents(ctx, l.Ref)
		require.NoError(t, err)
		require.Len(t, list, 2)
		require.Equal(t, docs[0].ID, list[0].ID)
		require.Equal(t, "agreement.pdf", list[0].Filename)
		require.Equal(t, "application/pdf", list[0].ContentType)
		require.Equal(t, int64(512), list[0].Size)
		require.Equal(t, "abc", list[0].SHA256)
		require.Equal(t, lending.DocStatusSubmitted, list[0].Status, "an empty status is submitted")
		require.Equal(t, lending.Actor("partner:docs"), list[0].UploadedBy)
		require.False(t, list[0].CreatedAt.IsZero())
		require.Nil(t, list[0].Data, "listings carry no file contents")
		require.Equal(t, lending.DocStatusRejected, list[1].Status)

		got, err := s.GetDocument(ctx, l.Ref, docs[0].ID)
		require.NoError(t, err)
		require.True(t, bytes.Equal(data, got.Data))
		require.Equal(t, lending.DocSignedAgreement, got.Kind)

		empty, err := s.GetDocument(ctx, l.Ref, docs[1].ID)
		require.NoError(t, err)
		require.Empty(t, empty.Data)

		_, err = s.GetDocument(ctx, l.Ref, docs[2].ID)
		require.ErrorIs(t, err, ErrNotFound, "another loan's document")

		err = s.AddDocument(ctx, &Document{LoanRef: 424242, Kind: lending.DocIDCopy, Data: []byte{1}})
		require.ErrorIs(t, err, ErrNotFound)
	})
}
