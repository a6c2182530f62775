package temporalsetup

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/loanflow/loanflow/workflows"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
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
	return nil
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
