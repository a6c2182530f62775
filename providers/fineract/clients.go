package fineract

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/loanflow/loanflow/providers"
)

// createClientBody is POST clients (L882-929): an active person with an activation date.
type createClientBody struct {
	OfficeID       int64  `json:"officeId"`
	Firstname      string `json:"firstname"`
	Lastname       string `json:"lastname"`
	ExternalID     string `json:"externalId,omitempty"`
	MobileNo       string `json:"mobileNo,omitempty"`
	Active         bool   `json:"active"`
	ActivationDate string `json:"activationDate"`
	SubmittedOn    string `json:"submittedOnDate"`
	Locale         string `json:"locale"`
	DateFormat     string `json:"dateFormat"`
}

// FindClientByExternalID lists clients filtered by externalId (L1297-1299). None is a 404
// (providers.IsNotFound); two would break Fineract's uniqueness and are reported as an error.
func (c *Client) FindClientByExternalID(ctx context.Context, externalID string) (*ClientRecord, error) {
	return findByExternalID[ClientRecord](ctx, c, "FindClientByExternalID", "client", externalID)
}

// GetClient reads one client by its Fineract id.
func (c *Client) GetClient(ctx context.Context, clientID int64) (*ClientRecord, error) {
	var cr ClientRecord
	if err := c.do(ctx, providers.JSONCall{Op: "GetClient", Method: http.MethodGet, Path: "clients/" + strconv.FormatInt(clientID, 10)}, &cr); err != nil {
		return nil, err
	}
	return &cr, nil
}

// CreateClient creates an active client; the result's ClientID is its Fineract id. A second client with
// the same ExternalID is refused (IsDuplicate).
func (c *Client) CreateClient(ctx context.Context, nc NewClient) (*CommandResult, error) {
	if nc.OfficeID == 0 {
		nc.OfficeID = 1
	}
	b := createClientBody{
		OfficeID: nc.OfficeID, Firstname: nc.Firstname, Lastname: nc.Lastname, ExternalID: nc.ExternalID,
		MobileNo: nc.MobileNo, Active: true, ActivationDate: formatDate(nc.ActivationDate),
		SubmittedOn: formatDate(nc.ActivationDate), Locale: Locale, DateFormat: DateFormat,
	}
	var res CommandResult
	if err := c.do(ctx, providers.JSONCall{Op: "CreateClient", Method: http.MethodPost, Path: "clients", Body: b}, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// findByExternalID lists the what records (client, loan) filtered by externalId: the one there is, a
// 404 when there is none, a conflict when two break Fineract's uniqueness.
func findByExternalID[T any](ctx context.Context, c *Client, op, what, externalID string) (*T, error) {
	if externalID == "" {
		return nil, fmt.Errorf("fineract: %s: externalID is required", op)
	}
	var p page[T]
	q := url.Values{"externalId": {externalID}, "limit": {"2"}}
	if err := c.do(ctx, providers.JSONCall{Op: op, Method: http.MethodGet, Path: what + "s", Query: q}, &p); err != nil {
		return nil, err
	}
	items := p.PageItems
	switch len(items) {
	case 0:
		return nil, notFound(op, fmt.Sprintf("no %s with externalId %q", what, externalID))
	case 1:
		return &items[0], nil
	default:
		return nil, &providers.Error{Provider: Provider, Op: op, Status: http.StatusConflict, Code: CodeExternalIDConflict,
			Message: fmt.Sprintf("%d %ss share externalId %q", len(items), what, externalID)}
	}
}
