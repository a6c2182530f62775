package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSimServesTheSimulatorsStandalone runs `loanflow sim` for two
// providers on free ports and calls each with its documented credentials.
func TestSimServesTheSimulatorsStandalone(t *testing.T) {
	cmd := exec.Command(os.Args[0], "sim", "-fineract", "127.0.0.1:0", "-iute", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "LOANFLOW_TEST_RUN_MAIN=1")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	urls := map[string]string{}
	line := regexp.MustCompile(`^(\w+)\s+(http://\S+)`)
	sc := bufio.NewScanner(out)
	for len(urls) < 2 && sc.Scan() {
		if m := line.FindStringSubmatch(sc.Text()); m != nil {
			urls[m[1]] = m[2]
		}
	}
	require.Len(t, urls, 2)

	req, _ := http.NewRequest("GET", urls["fineract"]+"/fineract-provider/api/v1/loans", nil)
	req.SetBasicAuth("mifos", "password")
	req.Header.Set("Fineract-Platform-TenantId", "default")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	req, _ = http.NewRequest("POST", urls["iute"]+"/rest/api/partner/loan/calc", strings.NewReader("loan_amount=1000&loan_duration=6&partner_type=post"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("partner", "secret")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("loanflow sim did not stop on SIGTERM")
	}
}
