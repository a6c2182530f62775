package gateway

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/mocks"

	"github.com/loanflow/loanflow/internal/encryption"
	"github.com/loanflow/loanflow/internal/failure"
	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/servicing"
	"github.com/loanflow/loanflow/workflows"
)

// The product a loan runs under is read from its run's first event, whose
// payloads are encrypted as everything the service writes.
func TestTemporalEngineProduct(t *testing.T) {
	keys, err := encryption.ParseKeys(encryption.NewKeySpec("k1"))
	require.NoError(t, err)
	data := encryption.NewConverters(keys).Data
	want := lending.Product{Code: "consumer", Servicing: servicing.Policy{PenaltyGraceDays: 3, LateFee: decimal.RequireFromString("50.00")}}
	input, err := data.ToPayloads(&workflows.LoanInput{Ref: 7, Product: want})
	require.NoError(t, err)

	c := mocks.NewClient(t)
	it := mocks.NewHistoryEventIterator(t)
	c.On("GetWorkflowHistory", mock.Anything, workflows.LoanWorkflowID(7), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT).Return(it)
	it.On("HasNext").Return(true)
	it.On("Next").Return(&historypb.HistoryEvent{
		EventType: enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
		Attributes: &historypb.HistoryEvent_WorkflowExecutionStartedEventAttributes{
			WorkflowExecutionStartedEventAttributes: &historypb.WorkflowExecutionStartedEventAttributes{Input: input},
		},
	}, nil)
	got, err := NewTemporal(c, "default", WithDataConverter(data)).Product(context.Background(), 7)
	require.NoError(t, err)
	require.Equal(t, want.Code, got.Code)
	require.Equal(t, 3, got.Servicing.PenaltyGraceDays)
	require.True(t, want.Servicing.LateFee.Equal(got.Servicing.LateFee))

	// Without the payload keys the input cannot be read: an outage, not a
	// loan without servicing terms.
	_, err = NewTemporal(c, "default").Product(context.Background(), 7)
	require.Equal(t, failure.KindUnavailable, failure.KindOf(err))
}

func TestTemporalEngineProductOfAnUnknownLoan(t *testing.T) {
	c := mocks.NewClient(t)
	it := mocks.NewHistoryEventIterator(t)
	c.On("GetWorkflowHistory", mock.Anything, workflows.LoanWorkflowID(8), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT).Return(it)
	it.On("HasNext").Return(true)
	it.On("Next").Return(nil, serviceerror.NewNotFound("workflow not found"))
	_, err := NewTemporal(c, "default").Product(context.Background(), 8)
	require.Equal(t, failure.KindNotFound, failure.KindOf(err))
}
