package console

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/loanflow/loanflow/lending"
	"github.com/loanflow/loanflow/models"
	"github.com/loanflow/loanflow/service"
)

// TestREADMEScreenshots renders the README's pictures of the console,
// docs/console-queue.png and docs/console-loan.png, from a made-up day of
// work. It runs only when asked, since it rewrites files in the repository.
func TestREADMEScreenshots(t *testing.T) {
	if os.Getenv("LOANFLOW_UPDATE_SCREENSHOTS") == "" {
		t.Skip("set LOANFLOW_UPDATE_SCREENSHOTS=1 to regenerate docs/console-queue.png and docs/console-loan.png")
	}
	chrome := ""
	for _, name := range []string{os.Getenv("LOANFLOW_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); name != "" && err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		t.Skip("no chromium on PATH: cannot take the README screenshots")
	}
	docs := filepath.Join("..", "..", "docs")
	require.NoError(t, os.MkdirAll(docs, 0o755))

	e := newEnv(t, func(o *Options) { o.ApprovalSLA = 7 * 24 * time.Hour })
	apply := func(first, last, amount string) service.LoanApplication {
		app := e.application(amount)
		app.Applicant.FirstName, app.Applicant.LastName, app.TermMonths = first, last, 12
		return app
	}
	people := []struct {
		first, last, amount string
		age                 time.Duration
	}{
		{"Elena", "Ceban", "12500", 150 * time.Hour},
		{"Ion", "Rotaru", "45000", 97 * time.Hour},
		{"Maria", "Lungu", "3200", 52 * time.Hour},
		{"Andrei", "Popescu", "8750.50", 26 * time.Hour},
		{"Natalia", "Grosu", "1500", 5 * time.Hour},
		{"Victor", "Munteanu", "36000", 3 * time.Hour},
		{"Olga", "Sirbu", "2000", 40 * time.Minute},
	}
	var loans []*models.Loan
	for _, p := range people {
		loans = append(loans, e.submitted(apply(p.first, p.last, p.amount), p.age))
	}
	e.approve(loans[1].Ref, underwriter2) // the first of its two approvals
	app := apply("Andrei", "Popescu", "8750.50")
	app.Applicant.Patronymic = "Vasile"
	review := e.submitted(app, 30*time.Hour)
	e.approve(review.Ref, underwriter)
	e.upload(review.Ref, lending.DocSignedAgreement, "signed-agreement.png", screenshotPNG(t, "SIGNED AGREEMENT"))
	e.upload(review.Ref, lending.DocBankStatement, "bank-statement.png", screenshotPNG(t, "BANK STATEMENT"))

	srv := httptest.NewServer(e.router)
	defer srv.Close()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(1366, 860))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	require.NoError(t, chromedp.Run(ctx))
	signIn := func(user, pw string) chromedp.Tasks {
		return chromedp.Tasks{
			chromedp.Navigate(srv.URL + "/backoffice/login"),
			chromedp.SendKeys("#username", user, chromedp.ByQuery),
			chromedp.SendKeys("#password", pw, chromedp.ByQuery),
			chromedp.Click("#signin", chromedp.ByQuery),
			chromedp.WaitVisible(`[data-testid="role"]`, chromedp.ByQuery),
		}
	}
	var queue, loan []byte
	run, stop := context.WithTimeout(ctx, 2*time.Minute)
	defer stop()
	require.NoError(t, chromedp.Run(run,
		chromedp.EmulateViewport(1366, 1000),
		signIn("underwriter", "underwriter-secret"),
		chromedp.WaitVisible("#queue", chromedp.ByQuery),
		chromedp.CaptureScreenshot(&queue),
		chromedp.Click(`form[action="/backoffice/logout"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
		signIn("operations", "operations-secret"),
		chromedp.Navigate(fmt.Sprintf("%s/backoffice/loans/%d", srv.URL, review.Ref)),
		chromedp.WaitVisible("#documents img", chromedp.ByQuery),
		chromedp.EmulateViewport(1366, 1500),
		chromedp.CaptureScreenshot(&loan),
	))
	require.NoError(t, os.WriteFile(filepath.Join(docs, "console-queue.png"), queue, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(docs, "console-loan.png"), loan, 0o644))
	t.Logf("wrote %s and %s", filepath.Join(docs, "console-queue.png"), filepath.Join(docs, "console-loan.png"))
}
