package sim

import (
	"encoding/json"
	"net/http"
)

// envelope is JULO's answer shape for success and failure alike.
type envelope struct {
	Success bool     `json:"success"`
	Data    any      `json:"data"`
	Errors  []string `json:"errors"`
}

func ok(w http.ResponseWriter, status int, data any) {
	write(w, status, envelope{Success: true, Data: data, Errors: []string{}})
}

func fail(w http.ResponseWriter, status int, msgs ...string) {
	write(w, status, envelope{Success: false, Data: nil, Errors: msgs})
}

func write(w http.ResponseWriter, status int, e envelope) {
	body, err := json.Marshal(e)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
