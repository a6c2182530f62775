package temporalsetup

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/loanflow/loanflow/workflows"
)

// SearchAttributes are the custom search attributes loanflow workflows upsert
// (workflows.SearchAttributeKeys), by name and type. A workflow that upserts
// an unregistered attribute fails its task, so every namespace loanflow runs
// in must have all of them.
func SearchAttributes() map[string]enumspb.IndexedValueType {
	out := map[string]enumspb.IndexedValueType{}
	for _, k := range workflows.SearchAttributeKeys() {
		out[k.GetName()] = k.GetValueType()
	}
	return out
}

// EnsureSearchAttributes registers on namespace those of SearchAttributes that
// are missing. It is idempotent. An attribute that exists with another type is
// an error rather than something to fix here: changing it would break every
// workflow and visibility query that already uses it.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	existing, err := listCustomSearchAttributes(ctx, c, namespace)
	if err != nil {
		return err
	}
	missing, err := missingSearchAttributes(existing)
	if err != nil {
		return fmt.Errorf("namespace %q: %w", namespace, err)
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace:        namespace,
		SearchAttributes: missing,
	}); err != nil {
		return fmt.Errorf("add search attributes %v to namespace %q: %w",
			slices.Sorted(maps.Keys(missing)), namespace, err)
	}
	return awaitUsable(ctx, c, namespace, missing)
}

// usablePollInterval paces awaitUsable.
const usablePollInterval = 200 * time.Millisecond

// awaitUsable waits until the frontend accepts a visibility query naming
// every attribute just added. A frontend learns of new attributes when it
// next refreshes its namespace cache (seconds later); until then it refuses
// to start a workflow that sets one ("no mapping defined for search
// attribute"), so a loan submitted right after a migrate would be refused.
func awaitUsable(ctx context.Context, c client.Client, namespace string, added map[string]enumspb.IndexedValueType) error {
	var terms []string
	for _, name := range slices.Sorted(maps.Keys(added)) {
		terms = append(terms, name+" = "+zeroLiteral(added[name]))
	}
	query := strings.Join(terms, " OR ")
	for {
		_, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: namespace, Query: query})
		var invalid *serviceerror.InvalidArgument
		if err == nil || !(errors.As(err, &invalid) || Transient(err)) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("search attributes %v of namespace %q not usable yet: %w (last error: %v)",
				slices.Sorted(maps.Keys(added)), namespace, ctx.Err(), err)
		case <-time.After(usablePollInterval):
		}
	}
}

// zeroLiteral is a value of the type, as a visibility query writes it.
func zeroLiteral(t enumspb.IndexedValueType) string {
	switch t {
	case enumspb.INDEXED_VALUE_TYPE_INT, enumspb.INDEXED_VALUE_TYPE_DOUBLE:
		return "0"
	case enumspb.INDEXED_VALUE_TYPE_BOOL:
		return "false"
	case enumspb.INDEXED_VALUE_TYPE_DATETIME:
		return "'2000-01-01T00:00:00Z'"
	}
	return "''"
}

func listCustomSearchAttributes(ctx context.Context, c client.Client, namespace string) (map[string]enumspb.IndexedValueType, error) {
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{
		Namespace: namespace,
	})
	if err != nil {
		return nil, fmt.Errorf("list search attributes of namespace %q: %w", namespace, err)
	}
	return resp.GetCustomAttributes(), nil
}

// missingSearchAttributes returns the wanted attributes absent from existing,
// or an error naming every attribute registered with a conflicting type.
func missingSearchAttributes(existing map[string]enumspb.IndexedValueType) (map[string]enumspb.IndexedValueType, error) {
	wanted := SearchAttributes()
	missing := map[string]enumspb.IndexedValueType{}
	var conflicts []string
	for _, name := range slices.Sorted(maps.Keys(wanted)) {
		want := wanted[name]
		got, ok := existing[name]
		switch {
		case !ok:
			missing[name] = want
		case got != want:
			conflicts = append(conflicts, fmt.Sprintf("%s is %s, want %s", name, got, want))
		}
	}
	if len(conflicts) > 0 {
		return nil, fmt.Errorf("search attributes registered with the wrong type: %s", strings.Join(conflicts, "; "))
	}
	return missing, nil
}
