package providers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// JSONCall is one call of a JSON API below a client's base URL (Fineract's, Mambu's). Body, when not
// nil, is sent as JSON; every method but GET changes the provider's state.
type JSONCall struct {
	Op     string
	Method string
	Path   string
	Query  url.Values
	Body   any
}

func (cl JSONCall) write() bool { return cl.Method != http.MethodGet }

// CallJSON sends cl below base and returns its 2xx answer; every other outcome is an *Error.
func (c *Caller) CallJSON(ctx context.Context, base *url.URL, cl JSONCall) (*Answer, error) {
	target := base.JoinPath(cl.Path)
	target.RawQuery = cl.Query.Encode()
	return c.Do(ctx, Request{Op: cl.Op, Method: cl.Method, URL: target.String(), JSON: cl.Body, Write: cl.write()})
}

// DecodeJSON decodes the answer to cl into out. An answer that does not decode is a BadResponseError:
// the call took effect, only its answer is lost.
func (c *Caller) DecodeJSON(cl JSONCall, a *Answer, out any) error {
	if err := json.Unmarshal(a.Body, out); err != nil {
		return BadResponseError(c.Provider, cl.Op, a.Status, fmt.Errorf("decode answer: %w", err), cl.write())
	}
	return nil
}
