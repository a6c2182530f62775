package sim

import (
	"maps"
	"time"
)

// Application is a snapshot of one JULO application.
type Application struct {
	XID          int64
	NIK          string
	Email        string
	RegisteredAt time.Time
	// Images counts uploads per image type.
	Images map[string]int
	// OTPSends counts send OTP calls; OTPAttempts the wrong tries against the pending OTP.
	OTPSends      int
	OTPAttempts   int
	OTPValidated  bool
	VerifiedPhone string
	// Data is the completed application data as last accepted, nil before.
	Data      map[string]any
	Completed int // accepted complete-data calls
}

type application struct {
	xid          int64
	nik, pin     string
	email        string
	registeredAt time.Time
	images       map[string]int

	otp         string
	otpPhone    string
	otpSentAt   time.Time
	otpSends    int
	otpAttempts int
	validated   string // the accepted OTP, so a repeated validation succeeds
	verified    string // the phone the accepted OTP was sent to

	data      map[string]any
	completed int
}

func (a *application) snapshot() Application {
	return Application{
		XID: a.xid, NIK: a.nik, Email: a.email, RegisteredAt: a.registeredAt, Images: maps.Clone(a.images),
		OTPSends: a.otpSends, OTPAttempts: a.otpAttempts, OTPValidated: a.validated != "",
		VerifiedPhone: a.verified, Data: maps.Clone(a.data), Completed: a.completed,
	}
}
