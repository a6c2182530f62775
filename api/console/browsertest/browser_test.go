package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
)

// browser is one headless Chromium, its tab, and the test it serves.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// artifactsDir is where failure screenshots go; it outlives the test.
func artifactsDir() string {
	if d := os.Getenv("LOANFLOW_TEST_ARTIFACTS"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "loanflow-browser-artifacts")
}

func newBrowser(t *testing.T, s *stack) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browserPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.WindowSize(1366, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelCtx)
	b := &browser{t: t, ctx: ctx, base: s.url}
	// Registered last, so it runs first: the tab is still open.
	t.Cleanup(b.screenshotOnFailure)
	// The first Run starts the browser and binds it to the context it is
	// given: that must be the tab's own, not a shorter-lived one.
	require.NoError(t, chromedp.Run(ctx))
	return b
}

func (b *browser) screenshotOnFailure() {
	if !b.t.Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		b.t.Logf("no failure screenshot: %v", err)
		return
	}
	dir := artifactsDir()
	name := regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(b.t.Name(), "_") + ".png"
	if err := os.MkdirAll(dir, 0o755); err == nil {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, png, 0o644); err == nil {
			b.t.Logf("failure screenshot: %s", path)
			return
		}
	}
	b.t.Logf("could not save the failure screenshot in %s", dir)
}

// run performs actions, failing the test if they do not complete in a
// minute.
func (b *browser) run(actions ...chromedp.Action) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	require.NoError(b.t, chromedp.Run(ctx, actions...))
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	var s string
	b.run(chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}

func (b *browser) attr(sel, name string) (string, bool) {
	b.t.Helper()
	var v string
	var ok bool
	b.run(chromedp.AttributeValue(sel, name, &v, &ok, chromedp.ByQuery))
	return v, ok
}

// shownStatus is the loan status the open loan page shows.
func (b *browser) shownStatus() lending.Status {
	b.t.Helper()
	v, _ := b.attr("#status", "data-status")
	return lending.Status(v)
}

func (b *browser) signIn(user, pass string) {
	b.t.Helper()
	b.run(
		chromedp.Navigate(b.base+"/backoffice/login"),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
		chromedp.SendKeys("#username", user, chromedp.ByQuery),
		chromedp.SendKeys("#password", pass, chromedp.ByQuery),
		chromedp.Click("#signin", chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="role"]`, chromedp.ByQuery),
	)
}

func (b *browser) signOut() {
	b.t.Helper()
	b.run(
		chromedp.Click(`form[action="/backoffice/logout"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
	)
}

// openLoan goes straight to a loan's page.
func (b *browser) openLoan(ref int64) {
	b.t.Helper()
	b.run(
		chromedp.Navigate(fmt.Sprintf("%s/backoffice/loans/%d", b.base, ref)),
		chromedp.WaitVisible("#status", chromedp.ByQuery),
	)
}

// openFromQueue clicks the loan in the queue page the browser shows.
func (b *browser) openFromQueue(ref int64) {
	b.t.Helper()
	row := fmt.Sprintf(`#queue tr[data-ref="%d"]`, ref)
	b.run(
		chromedp.WaitVisible(row, chromedp.ByQuery),
		chromedp.Click(row+" a", chromedp.ByQuery),
		chromedp.WaitVisible("#status", chromedp.ByQuery),
	)
}

// submit clicks a form's button and waits for the page that answers with
// the outcome (#flash) or the refusal (#error).
func (b *browser) submit(button, outcome string) string {
	b.t.Helper()
	b.run(
		chromedp.Click(button, chromedp.ByQuery),
		chromedp.WaitVisible(outcome, chromedp.ByQuery),
	)
	return b.text(outcome)
}

func TestUnderwriterApprovesFromTheQueue(t *testing.T) {
	s := requireStack(t)
	ref := s.submitLoan(t, "2500.00")
	s.submitLoan(t, "1200.00")
	b := newBrowser(t, s)
	b.signIn("underwriter", "underwriter-secret")
	require.Contains(t, b.text("h1"), "Decision queue", "an underwriter starts at the decision queue")

	// The table sorts in the browser: by amount, then the other way.
	amounts := `Array.from(document.querySelectorAll('#queue tbody tr')).map(r => parseFloat(r.cells[6].dataset.sort))`
	for _, dir := range []string{"ascending", "descending"} {
		var got []float64
		b.run(chromedp.Click(`#queue th:nth-child(7)`, chromedp.ByQuery), chromedp.Evaluate(amounts, &got))
		sort, _ := b.attr(`#queue th:nth-child(7)`, "aria-sort")
		require.Equal(t, dir, sort)
		require.GreaterOrEqual(t, len(got), 2)
		for i := 1; i < len(got); i++ {
			if dir == "ascending" {
				require.LessOrEqual(t, got[i-1], got[i], "%v", got)
			} else {
				require.GreaterOrEqual(t, got[i-1], got[i], "%v", got)
			}
		}
	}
	b.openFromQueue(ref)
	require.Equal(t, lending.StatusSubmitted, b.shownStatus())
	require.Contains(t, b.text("#terms"), "2,500.00 MDL")
	href, _ := b.attr("#workflow-link", "href")
	require.Equal(t, fmt.Sprintf("http://127.0.0.1:8233/namespaces/default/workflows/loan-%d", ref), href)

	flash := b.submit("#approve", "#flash")
	require.Contains(t, flash, fmt.Sprintf("Loan %d is approved.", ref))
	require.Equal(t, lending.StatusApproved, b.shownStatus())
	l := s.loan(t, ref)
	require.Equal(t, lending.StatusApproved, l.Status)
	require.Equal(t, "staff:underwriter", l.ApprovedBy)
	require.Contains(t, b.text("#audit"), "approve", "the workflow's audit trail shows the approval")
}

func TestOperationsReviewsDocumentsAndAuthorizesRelease(t *testing.T) {
	s := requireStack(t)
	ref := s.submitLoan(t, "4000.00")
	s.approveByAPI(t, ref, "underwriter", "underwriter-secret")
	s.submitDocuments(t, ref)

	b := newBrowser(t, s)
	b.signIn("operations", "operations-secret")
	require.Contains(t, b.text("h1"), "Document review", "operations start at document review")
	b.openFromQueue(ref)
	require.Equal(t, lending.StatusDocumentsSubmitted, b.shownStatus())

	// Both documents are on the page: the image decoded, the PDF framed.
	var width int
	b.run(chromedp.Poll(`(function(){var i=document.querySelector('details.doc[data-kind="bank_statement"] img');return i&&i.complete?i.naturalWidth:0})()`,
		&width, chromedp.WithPollingTimeout(20*time.Second)))
	require.Equal(t, 420, width)
	src, ok := b.attr(`details.doc[data-kind="signed_agreement"] iframe`, "src")
	require.True(t, ok)
	require.Contains(t, src, fmt.Sprintf("/backoffice/loans/%d/documents/", ref))

	// First review: the statement is not acceptable.
	b.run(chromedp.SendKeys("#doc_reason", "The bank statement is older than three months", chromedp.ByQuery))
	flash := b.submit("#reject-documents", "#flash")
	require.Contains(t, flash, "are rejected")
	require.Equal(t, lending.StatusApproved, b.shownStatus())

	// The partner uploads them again; the second review passes.
	s.submitDocuments(t, ref)
	b.run(chromedp.Navigate(b.base + "/backoffice/documents"))
	b.openFromQueue(ref)
	flash = b.submit("#authorize", "#flash")
	require.Contains(t, flash, fmt.Sprintf("Cash release of loan %d is authorized.", ref))
	require.Equal(t, lending.StatusCashReleaseAuthorized, b.shownStatus())
	l := s.loan(t, ref)
	require.Equal(t, lending.StaffActor("operations"), l.CashReleaseAuthorizedBy)
}

// TestApproverCannotAuthorizeTheirOwnApproval: an underwriter approves a
// loan, then moves to operations. The page explains why they may not
// release it, and forcing the form anyway is refused by the workflow.
func TestApproverCannotAuthorizeTheirOwnApproval(t *testing.T) {
	s := requireStack(t)
	ref := s.submitLoan(t, "3000.00")
	b := newBrowser(t, s)
	b.signIn("underwriter2", "underwriter2-secret")
	b.openLoan(ref)
	require.Contains(t, b.submit("#approve", "#flash"), "is approved")

	s.setRole(t, "underwriter2", lending.RoleOperations)
	t.Cleanup(func() { s.setRole(t, "underwriter2", lending.RoleUnderwriter) })
	s.submitDocuments(t, ref)

	b.openLoan(ref)
	require.Contains(t, b.text("#sod"), "You approved this loan, so you may not authorize its cash release.")
	_, disabled := b.attr("#authorize", "disabled")
	require.True(t, disabled, "the button is disabled")

	// Submitting the form anyway reaches the workflow, which refuses.
	b.run(
		chromedp.Evaluate(`document.getElementById('authorize-form').submit()`, nil),
		chromedp.WaitVisible("#error", chromedp.ByQuery),
	)
	require.Contains(t, b.text("#error"), "segregation of duties")
	require.Equal(t, lending.StatusDocumentsSubmitted, b.shownStatus())
	require.Equal(t, lending.StatusDocumentsSubmitted, s.loan(t, ref).Status)
	require.Empty(t, s.loan(t, ref).CashReleaseAuthorizedBy)
}

func TestFourEyesLoanNeedsTheSecondUnderwriter(t *testing.T) {
	s := requireStack(t)
	ref := s.submitLoan(t, "45000.00") // above the product's 30,000 threshold
	b := newBrowser(t, s)
	b.signIn("underwriter", "underwriter-secret")
	b.openLoan(ref)
	require.Contains(t, b.text("#four-eyes"), "two different underwriters must approve it")

	flash := b.submit("#approve", "#flash")
	require.Contains(t, flash, "Four eyes: it stays Submitted until a second underwriter approves it.")
	require.Equal(t, lending.StatusSubmitted, b.shownStatus())
	require.Contains(t, b.text("#four-eyes"), "1 of 2 (underwriter)")
	_, disabled := b.attr("#approve", "disabled")
	require.True(t, disabled, "the first underwriter cannot approve again")
	require.Equal(t, lending.StatusSubmitted, s.loan(t, ref).Status)

	// Submitting the form anyway reaches the workflow, which refuses.
	b.run(
		chromedp.Evaluate(`document.getElementById('approve-form').submit()`, nil),
		chromedp.WaitVisible("#error", chromedp.ByQuery),
	)
	require.Contains(t, b.text("#error"), "this loan needs a second approval from a different underwriter")
	require.Equal(t, lending.StatusSubmitted, b.shownStatus())
	require.Equal(t, "staff:underwriter", s.loan(t, ref).ApprovedBy, "still one approval")

	b.signOut()
	b.signIn("underwriter2", "underwriter2-secret")
	b.openLoan(ref)
	flash = b.submit("#approve", "#flash")
	require.Contains(t, flash, fmt.Sprintf("Loan %d is approved.", ref))
	require.Equal(t, lending.StatusApproved, b.shownStatus())
	l := s.loan(t, ref)
	require.Equal(t, lending.StatusApproved, l.Status)
	require.Equal(t, "staff:underwriter,staff:underwriter2", l.ApprovedBy)
}
