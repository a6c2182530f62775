package temporalsetup

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"
)

// retryInterval paces the retries of calls a just-created namespace answers
// with NamespaceNotFound until every frontend has refreshed its cache.
const retryInterval = 200 * time.Millisecond

// PrepareNamespace creates namespace with the given retention when it does
// not exist and registers the search attributes, waiting for a new namespace
// to become usable. An existing namespace keeps its retention: an operator
// may have changed it on purpose. Running it again changes nothing.
func PrepareNamespace(ctx context.Context, c client.Client, namespace string, retention time.Duration) (created bool, err error) {
	if created, err = ensureNamespace(ctx, c, namespace, retention); err != nil {
		return false, err
	}
	for {
		err := EnsureSearchAttributes(ctx, c, namespace)
		if err == nil || !Transient(err) {
			return created, err
		}
		select {
		case <-ctx.Done():
			return created, fmt.Errorf("namespace %q not usable: %w (last error: %v)", namespace, ctx.Err(), err)
		case <-time.After(retryInterval):
		}
	}
}

func ensureNamespace(ctx context.Context, c client.Client, namespace string, retention time.Duration) (bool, error) {
	_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
	var notFound *serviceerror.NamespaceNotFound
	switch {
	case err == nil:
		return false, nil
	case !errors.As(err, &notFound):
		return false, fmt.Errorf("describe namespace %q: %w", namespace, err)
	}
	_, err = c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace:                        namespace,
		Description:                      "loanflow loans",
		WorkflowExecutionRetentionPeriod: durationpb.New(retention),
	})
	var exists *serviceerror.NamespaceAlreadyExists
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &exists):
		return false, nil // another migrate created it in between
	default:
		return false, fmt.Errorf("register namespace %q: %w", namespace, err)
	}
}

// Transient reports the errors a Temporal server answers while it is still
// starting or a namespace is still propagating: worth retrying until a
// deadline. Anything else (a search attribute registered with another type,
// a permission) is final.
func Transient(err error) bool {
	var unavailable *serviceerror.Unavailable
	var nsNotFound *serviceerror.NamespaceNotFound
	var notFound *serviceerror.NotFound
	var deadline *serviceerror.DeadlineExceeded
	return errors.As(err, &unavailable) || errors.As(err, &nsNotFound) ||
		errors.As(err, &notFound) || errors.As(err, &deadline)
}
