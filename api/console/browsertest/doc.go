// Package browsertest drives the back-office console in headless Chromium
// against the whole of loanflow: the embedded Temporal server, a worker
// running the real LoanWorkflow and activities, an SQLite store, the partner
// API and the console. It holds tests only; they live apart from the
// console's handler tests so that those do not link the Temporal server.
//
// The tests need a Chromium or Chrome binary (Debian: apt-get install
// chromium); LOANFLOW_CHROMIUM names one explicitly. Without one they skip,
// saying why. A failing test saves a screenshot of its browser to
// LOANFLOW_TEST_ARTIFACTS (default: loanflow-browser-artifacts in the
// system's temporary directory) and logs the path.
package browsertest
