package integrations

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
)

// journal keeps a simulator's state across restarts of `loanflow dev`: every
// request that may have changed it (anything but GET and HEAD, answered
// below 500) is appended to a JSON-lines file, and at start the file is
// played back into a fresh simulator before it serves. The simulators are
// deterministic given their requests, the OTP generator's seed (kept next to
// the journals) and the clock, so the loans booked in them are found again;
// only their timestamps move to the time of the replay.
//
// The file holds what the providers were sent, applicant data included, so
// it is readable by its owner alone, like the database next to it.
type journal struct {
	mu   sync.Mutex
	f    *os.File
	path string
}

// journalEntry is one recorded request.
type journalEntry struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Header http.Header `json:"header"`
	Body   []byte      `json:"body"`
}

// openJournal replays path into h, then opens it for appending.
func openJournal(path string, h http.Handler) (*journal, error) {
	if err := replay(path, h); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("simulator journal: %w", err)
	}
	return &journal{f: f, path: path}, nil
}

func replay(path string, h http.Handler) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("simulator journal: %w", err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			// A last line without its newline was cut short by a crash
			// while being written: its request never got its answer.
			return nil
		}
		if err != nil {
			return fmt.Errorf("simulator journal %s: %w", path, err)
		}
		var e journalEntry
		if err := json.Unmarshal(line, &e); err != nil {
			return fmt.Errorf("simulator journal %s line %d: %w", path, n, err)
		}
		req := httptest.NewRequest(e.Method, e.URL, bytes.NewReader(e.Body))
		req.Header = e.Header
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// wrap records the requests h answers that may have changed its state.
func (j *journal) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		if sw.status >= 500 {
			return
		}
		j.append(journalEntry{Method: r.Method, URL: r.URL.RequestURI(), Header: r.Header, Body: body})
	})
}

func (j *journal) append(e journalEntry) {
	line, err := json.Marshal(e)
	if err != nil {
		return // a header or URL that cannot be JSON never reached a handler
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	_, _ = j.f.Write(append(line, '\n'))
}

func (j *journal) close() error { return j.f.Close() }

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
