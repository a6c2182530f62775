package temporalsetup

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/grpc"
)

// fakeOperator keeps a namespace's custom search attributes in memory. The
// embedded interface is nil: calling anything not overridden panics, which
// flags an unexpected RPC.
type fakeOperator struct {
	operatorservice.OperatorServiceClient
	attrs    map[string]enumspb.IndexedValueType
	listErr  error
	addCalls []map[string]enumspb.IndexedValueType
}

func (f *fakeOperator) ListSearchAttributes(_ context.Context, _ *operatorservice.ListSearchAttributesRequest, _ ...grpc.CallOption) (*operatorservice.ListSearchAttributesResponse, error) {
	if f.listErr != nil {
		return nil, f.listErr
	}
	return &operatorservice.ListSearchAttributesResponse{CustomAttributes: f.attrs}, nil
}

func (f *fakeOperator) AddSearchAttributes(_ context.Context, req *operatorservice.AddSearchAttributesRequest, _ ...grpc.CallOption) (*operatorservice.AddSearchAttributesResponse, error) {
	f.addCalls = append(f.addCalls, req.GetSearchAttributes())
	for name, typ := range req.GetSearchAttributes() {
		f.attrs[name] = typ
	}
	return &operatorservice.AddSearchAttributesResponse{}, nil
}

type fakeClient struct {
	client.Client
	op            *fakeOperator
	healthErrs    []error // returned by successive CheckHealth calls, then nil
	healthChecked int
	countErrs     []error // returned by successive CountWorkflow calls, then nil
	counts        []string
}

func (f *fakeClient) CountWorkflow(_ context.Context, req *workflowservice.CountWorkflowExecutionsRequest) (*workflowservice.CountWorkflowExecutionsResponse, error) {
	f.counts = append(f.counts, req.GetQuery())
	if len(f.countErrs) == 0 {
		return &workflowservice.CountWorkflowExecutionsResponse{}, nil
	}
	err := f.countErrs[0]
	f.countErrs = f.countErrs[1:]
	return nil, err
}

func (f *fakeClient) OperatorService() operatorservice.OperatorServiceClient { return f.op }

func (f *fakeClient) CheckHealth(context.Context, *client.CheckHealthRequest) (*client.CheckHealthResponse, error) {
	f.healthChecked++
	if len(f.healthErrs) == 0 {
		return &client.CheckHealthResponse{}, nil
	}
	err := f.healthErrs[0]
	f.healthErrs = f.healthErrs[1:]
	return nil, err
}

func TestEnsureSearchAttributes(t *testing.T) {
	keyword := enumspb.INDEXED_VALUE_TYPE_KEYWORD
	tests := []struct {
		name      string
		existing  map[string]enumspb.IndexedValueType
		listErr   error
		wantAdded []map[string]enumspb.IndexedValueType
		wantErr   string
	}{
		{
			name:      "fresh namespace gets all of them",
			existing:  map[string]enumspb.IndexedValueType{},
			wantAdded: []map[string]enumspb.IndexedValueType{SearchAttributes()},
		},
		{
			name:     "only the missing ones are added",
			existing: map[string]enumspb.IndexedValueType{"LoanStatus": keyword, "PartnerId": keyword, "LoanRef": enumspb.INDEXED_VALUE_TYPE_INT, "Other": keyword},
			wantAdded: []map[string]enumspb.IndexedValueType{{
				"LoanAmount": enumspb.INDEXED_VALUE_TYPE_DOUBLE, "Ledger": keyword, "Lender": keyword,
				"DaysPastDue": enumspb.INDEXED_VALUE_TYPE_INT, "DelinquencyBucket": keyword,
				"Currency": keyword, "StatusSince": enumspb.INDEXED_VALUE_TYPE_DATETIME,
			}},
		},
		{
			name:     "complete namespace is left alone",
			existing: SearchAttributes(),
		},
		{
			name:     "conflicting type is reported, nothing added",
			existing: map[string]enumspb.IndexedValueType{"LoanRef": keyword, "LoanAmount": enumspb.INDEXED_VALUE_TYPE_INT},
			wantErr:  "wrong type: LoanAmount is Int, want Double; LoanRef is Keyword, want Int",
		},
		{
			name:    "list failure is returned",
			listErr: errors.New("unavailable"),
			wantErr: `list search attributes of namespace "default": unavailable`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := &fakeOperator{attrs: map[string]enumspb.IndexedValueType{}, listErr: tt.listErr}
			for k, v := range tt.existing {
				op.attrs[k] = v
			}
			c := &fakeClient{op: op}

			err := EnsureSearchAttributes(context.Background(), c, "default")
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.Empty(t, op.addCalls)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.wantAdded, op.addCalls)
			for name, typ := range SearchAttributes() {
				require.Equal(t, typ, op.attrs[name], name)
			}

			// A second run finds everything registered and adds nothing.
			op.addCalls = nil
			c.counts = nil
			require.NoError(t, EnsureSearchAttributes(context.Background(), c, "default"))
			require.Empty(t, op.addCalls)
			require.Empty(t, c.counts, "nothing added, nothing to wait for")
		})
	}
}

// TestEnsureSearchAttributesWaitsUntilUsable: the frontend refuses a query
// naming an attribute just added until its namespace cache has it; a
// migrate that returned then would let the first loans be refused.
func TestEnsureSearchAttributesWaitsUntilUsable(t *testing.T) {
	op := &fakeOperator{attrs: map[string]enumspb.IndexedValueType{}}
	for k, v := range SearchAttributes() {
		if k != "Currency" && k != "StatusSince" {
			op.attrs[k] = v
		}
	}
	stale := serviceerror.NewInvalidArgument("Namespace default has no mapping defined for search attribute Currency")
	c := &fakeClient{op: op, countErrs: []error{stale, stale}}
	require.NoError(t, EnsureSearchAttributes(context.Background(), c, "default"))
	require.Equal(t, []string{
		"Currency = '' OR StatusSince = '2000-01-01T00:00:00Z'",
		"Currency = '' OR StatusSince = '2000-01-01T00:00:00Z'",
		"Currency = '' OR StatusSince = '2000-01-01T00:00:00Z'",
	}, c.counts, "asked until the frontend knew both")

	c = &fakeClient{op: &fakeOperator{attrs: map[string]enumspb.IndexedValueType{}}, countErrs: []error{errors.New("permission denied")}}
	require.ErrorContains(t, EnsureSearchAttributes(context.Background(), c, "default"), "permission denied", "another failure is not waited out")
}

func TestWaitReady(t *testing.T) {
	tests := []struct {
		name        string
		healthErrs  []error
		timeout     time.Duration
		wantErr     string
		wantChecked int
	}{
		{name: "healthy at once", timeout: time.Second, wantChecked: 1},
		{name: "healthy after failures", healthErrs: []error{errors.New("refused"), errors.New("refused")}, timeout: 5 * time.Second, wantChecked: 3},
		{
			name:       "never healthy",
			healthErrs: []error{errors.New("refused"), errors.New("refused"), errors.New("refused"), errors.New("refused"), errors.New("refused"), errors.New("refused")},
			timeout:    250 * time.Millisecond,
			wantErr:    "last health check: refused",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &fakeClient{healthErrs: tt.healthErrs}
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()

			err := WaitReady(ctx, c)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.ErrorIs(t, err, context.DeadlineExceeded)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.wantChecked, c.healthChecked)
		})
	}
}
