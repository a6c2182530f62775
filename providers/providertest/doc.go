// Package providertest is what the provider clients' tests share: how a failed call was classified
// (Failure), the checks every client must pass (documented error answers, faults injected by its
// simulator), and a caller that retries and runs loans side by side as the workflow's activities do.
//
// It is imported by tests only.
package providertest
