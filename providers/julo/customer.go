package julo

import (
	"context"
	"errors"
	"net/http"
)

// Registration is the initial registration of a customer.
type Registration struct {
	NIK       string // the 16-digit national id, sent as "username"
	PIN       string // 6-digit PIN for the JULO app
	Email     string
	Latitude  float64 // where the customer registers; coordinates, not money
	Longitude float64
}

// Customer is JULO's answer to registration. ApplicationXID identifies the application in every later call.
type Customer struct {
	ApplicationXID int64  `json:"application_xid"`
	Email          string `json:"email"`
	KTP            string `json:"ktp"`
}

// PreRegisterCheck succeeds when the customer (by NIK and email) is not yet registered with JULO;
// otherwise JULO's refusal says why. After an ambiguous Register it tells whether the registration landed.
func (c *Client) PreRegisterCheck(ctx context.Context, nik, email string) error {
	return c.do(ctx, call{op: "preregister_check", method: http.MethodPost, path: "/preregister-check",
		body: map[string]string{"nik": nik, "email": email}}, nil)
}

// Register creates the customer and their application; keep ApplicationXID.
func (c *Client) Register(ctx context.Context, r Registration) (*Customer, error) {
	var out Customer
	err := c.do(ctx, call{op: "register", method: http.MethodPost, path: "/customer", body: map[string]any{
		"username": r.NIK, "pin": r.PIN, "email": r.Email, "latitude": r.Latitude, "longitude": r.Longitude,
	}}, &out)
	if err != nil {
		return nil, err
	}
	if out.ApplicationXID == 0 {
		// Everything after registration needs the xid; a success without one is a broken answer.
		return nil, badData("register", errors.New("success without application_xid"))
	}
	return &out, nil
}
