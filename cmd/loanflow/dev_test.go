package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary stand in for the loanflow binary: the dev
// test runs it as a child process, which it can kill -9.
func TestMain(m *testing.M) {
	if os.Getenv("LOANFLOW_TEST_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// devProcess is one `loanflow dev` child process.
type devProcess struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout bytes.Buffer
	done   chan error
}

func startDev(t *testing.T, env []string) *devProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "dev")
	cmd.Env = append(os.Environ(), append(env, "LOANFLOW_TEST_RUN_MAIN=1")...)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = io.Discard
	require.NoError(t, cmd.Start())
	p := &devProcess{cmd: cmd, done: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.mu.Lock()
			p.stdout.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return p
}

func (p *devProcess) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String()
}

func waitReady(t *testing.T, base string, p *devProcess) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			t.Fatalf("loanflow dev exited early: %v\n%s", err, p.output())
		default:
		}
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("loanflow dev not ready in time\n%s", p.output())
}

func request(t testing.TB, method, url, user, pass, key string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	req.SetBasicAuth(user, pass)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var m map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

// TestDevSurvivesKillDashNine runs `loanflow dev`, puts a loan half way
// through, kills the process with SIGKILL, starts it again on the same data
// directory and finishes the loan's next step; then stops it with SIGTERM.
func TestDevSurvivesKillDashNine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server twice; skipped with -short")
	}
	httpAddr := freePort(t)
	env := []string{
		"LOANFLOW_DATA_DIR=" + t.TempDir(),
		"LOANFLOW_HTTP_ADDR=" + httpAddr,
		"LOANFLOW_DEV_TEMPORAL_ADDR=" + freePort(t),
		"LOANFLOW_TEMPORAL_UI_ADDR=" + freePort(t),
		"LOANFLOW_DATABASE_URL=",
		"LOANFLOW_TEMPORAL_ADDRESS=",
	}
	base := "http://" + httpAddr

	first := startDev(t, env)
	waitReady(t, base, first)
	banner := first.output()
	for _, want := range []string{"demo / demo-secret", "underwriter / underwriter-secret", "operations / operations-secret", "Temporal UI  http://"} {
		require.Contains(t, banner, want)
	}

	app := devApplication("I12356789T")
	status, loan := request(t, "POST", base+"/v1/loans", "demo", "demo-secret", "kill-9", app)
	require.Equal(t, http.StatusCreated, status, "%v", loan)
	ref := int64(loan["ref"].(float64))
	status, loan = request(t, "POST", fmt.Sprintf("%s/backoffice/v1/loans/%d/approve", base, ref), "underwriter", "underwriter-secret", "", map[string]any{})
	require.Equal(t, http.StatusOK, status, "%v", loan)
	require.Equal(t, "APPROVED", loan["status"])

	require.NoError(t, first.cmd.Process.Signal(syscall.SIGKILL))
	<-first.done

	second := startDev(t, env)
	waitReady(t, base, second)
	status, loan = request(t, "GET", fmt.Sprintf("%s/v1/loans/%d", base, ref), "demo", "demo-secret", "", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "APPROVED", loan["status"])
	// The workflow survived too: it takes the next step.
	status, loan = request(t, "POST", fmt.Sprintf("%s/v1/loans/%d/cancel", base, ref), "demo", "demo-secret", "", map[string]any{})
	require.Equal(t, http.StatusOK, status, "%v", loan)
	require.Equal(t, "CANCELLED", loan["status"])
	// A new loan gets the next ref: the sequence survived.
	status, loan = request(t, "POST", base+"/v1/loans", "demo", "demo-secret", "after-restart", app)
	require.Equal(t, http.StatusCreated, status, "%v", loan)
	require.Equal(t, float64(ref+1), loan["ref"])

	require.NoError(t, second.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-second.done:
		require.NoError(t, err, "a clean shutdown exits 0")
	case <-time.After(30 * time.Second):
		t.Fatal("loanflow dev did not stop within 30 s of SIGTERM")
	}
}

// devApplication is a loan application of the dev seed's consumer product.
func devApplication(identityNumber string) map[string]any {
	return map[string]any{
		"amount": "2500.00", "term_months": 12, "submitted_by": "Mike", "office": "Main office",
		"applicant": map[string]any{
			"identity_number": identityNumber, "first_name": "John", "last_name": "Smith", "patronymic": "James",
			"birth_date": "1990-01-01", "document_serial": "200000907", "mobile_phone": "0123456789", "home_phone": "012345678",
			"alt_contact": map[string]any{"name": "June", "relation": "sister", "phone": "0987654321"},
			"address":     map[string]any{"town": "Chisinau", "street": "Long street", "house": "11", "apartment": ""},
		},
	}
}
