package sim

import (
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
)

const prefix = "/api/partnership/v1"

var imageTypes = []string{
	"ktp_self", "crop_selfie", "selfie", "bank_statement", "paystub", "ktp_privy", "drivers_license_privy",
	"just_selfie_privy", "foto_kartu_keluraga_privy", "e_ktp_privy", "selfie_privy", "passport_privy",
	"passport_selfie_privy",
}

// jobTypesWithoutEmployer are the job types for which JULO does not ask for the employer fields.
var jobTypesWithoutEmployer = []string{"Tidak bekerja", "Staf rumah tangga", "Ibu rumah tangga", "Mahasiswa"}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+prefix+"/preregister-check", s.auth(withBody(s.preregisterCheck)))
	mux.Handle("POST "+prefix+"/customer", s.auth(withBody(s.register)))
	mux.Handle("POST "+prefix+"/customer/", s.auth(withBody(s.register)))
	mux.Handle("POST "+prefix+"/applications/{xid}/images", s.auth(s.withApp(s.uploadImage)))
	mux.Handle("POST "+prefix+"/application/otp/{xid}", s.auth(s.withApp(withAppBody(s.sendOTP))))
	mux.Handle("POST "+prefix+"/application/otp/validate/{xid}", s.auth(s.withApp(withAppBody(s.validateOTP))))
	mux.Handle("PATCH "+prefix+"/applications/{xid}", s.auth(s.withApp(withAppBody(s.complete))))
	// JULO's curl example posts to the singular path; the endpoint table says PATCH on the plural one.
	mux.Handle("POST "+prefix+"/application/{xid}", s.auth(s.withApp(withAppBody(s.complete))))
	return mux
}

func (s *Server) auth(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("secret-key")), []byte(s.acceptedSecret())) != 1 ||
			subtle.ConstantTimeCompare([]byte(r.Header.Get("username")), []byte(s.opts.Username)) != 1 {
			fail(w, http.StatusUnauthorized, "Invalid partner credentials")
			return
		}
		h(w, r)
	})
}

// withBody reads the request's body for h; one that cannot be read is a 400.
func withBody(h func(http.ResponseWriter, body)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if b, read := readBody(w, r); read {
			h(w, b)
		}
	}
}

// withAppBody is withBody for a handler of an application (see withApp).
func withAppBody(h func(http.ResponseWriter, body, *application)) func(http.ResponseWriter, *http.Request, *application) {
	return func(w http.ResponseWriter, r *http.Request, a *application) {
		if b, read := readBody(w, r); read {
			h(w, b, a)
		}
	}
}

func readBody(w http.ResponseWriter, r *http.Request) (body, bool) {
	b, err := decode(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return nil, false
	}
	return b, true
}

// withApp resolves {xid}; the handler runs with s.mu held.
func (s *Server) withApp(h func(http.ResponseWriter, *http.Request, *application)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		xid, err := strconv.ParseInt(r.PathValue("xid"), 10, 64)
		s.mu.Lock()
		defer s.mu.Unlock()
		a, found := s.apps[xid]
		if err != nil || !found {
			fail(w, http.StatusNotFound, "Application not found")
			return
		}
		h(w, r, a)
	}
}

func (s *Server) preregisterCheck(w http.ResponseWriter, b body) {
	var c checker
	nik := c.match(b, "nik", nikRE, "NIK must be 16 digits.")
	email := c.email(b, "email")
	if c.refused(w) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.customers[nik]; ok {
		fail(w, http.StatusBadRequest, "NIK already registered")
		return
	}
	if _, ok := s.emails[email]; ok {
		fail(w, http.StatusBadRequest, "Email already registered")
		return
	}
	ok(w, http.StatusOK, nil)
}

type customer struct {
	ApplicationXID int64  `json:"application_xid"`
	Email          string `json:"email"`
	KTP            string `json:"ktp"`
}

func (s *Server) register(w http.ResponseWriter, b body) {
	var c checker
	nik := c.match(b, "username", nikRE, "NIK must be 16 digits.")
	pin := c.match(b, "pin", pinRE, "PIN must be 6 digits.")
	email := c.email(b, "email")
	c.float(b, "latitude", -90, 90)
	c.float(b, "longitude", -180, 180)
	if c.refused(w) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.customers[nik]; taken {
		for _, a := range s.apps {
			if !s.opts.DocumentedOnly && a.nik == nik && a.pin == pin && a.email == email {
				ok(w, http.StatusOK, customer{ApplicationXID: a.xid, Email: a.email, KTP: a.nik})
				return
			}
		}
		fail(w, http.StatusBadRequest, "NIK already registered")
		return
	}
	if _, taken := s.emails[email]; taken {
		fail(w, http.StatusBadRequest, "Email already registered")
		return
	}
	a := &application{xid: s.nextXID, nik: nik, pin: pin, email: email, registeredAt: s.opts.Now(), images: map[string]int{}}
	s.nextXID++
	s.apps[a.xid] = a
	s.customers[nik] = email
	s.emails[email] = nik
	ok(w, http.StatusCreated, customer{ApplicationXID: a.xid, Email: a.email, KTP: a.nik})
}

func (s *Server) uploadImage(w http.ResponseWriter, r *http.Request, a *application) {
	if err := r.ParseMultipartForm(16 << 20); err != nil {
		fail(w, http.StatusBadRequest, "Multipart form-data with an upload file is required")
		return
	}
	var errs []string
	typ := r.PostForm.Get("image_type")
	switch {
	case typ == "":
		errs = append(errs, "image_type: This field is required.")
	case !slices.Contains(imageTypes, typ):
		errs = append(errs, fmt.Sprintf("image_type: %q is not a valid choice.", typ))
	}
	f, _, err := r.FormFile("upload")
	if err != nil {
		errs = append(errs, "upload: No file was submitted.")
	} else {
		defer f.Close()
		head := make([]byte, 512)
		n, _ := io.ReadFull(f, head)
		switch http.DetectContentType(head[:n]) {
		case "image/jpeg", "image/png":
		default:
			errs = append(errs, "upload: Upload a valid image. The file you uploaded was either not an image or a corrupted image.")
		}
	}
	if errs != nil {
		fail(w, http.StatusBadRequest, errs...)
		return
	}
	a.images[typ]++
	ok(w, http.StatusOK, "success upload image")
}

func (s *Server) sendOTP(w http.ResponseWriter, b body, a *application) {
	var c checker
	phone := c.match(b, "phone", phoneRE, "Enter a valid mobile phone number.")
	if c.refused(w) {
		return
	}
	now := s.opts.Now()
	pending := a.otp != "" && a.otpPhone == phone && now.Sub(a.otpSentAt) < s.opts.OTPTTL && a.otpAttempts < s.opts.MaxOTPAttempts
	if !pending {
		a.otp, a.otpPhone, a.otpSentAt, a.otpAttempts = s.newOTP(), phone, now, 0
		a.validated, a.verified = "", ""
	}
	a.otpSends++
	if s.opts.OnOTP != nil {
		s.opts.OnOTP(a.xid, phone, a.otp)
	}
	ok(w, http.StatusOK, nil)
}

func (s *Server) validateOTP(w http.ResponseWriter, b body, a *application) {
	var c checker
	token := c.str(b, "otp_token", true)
	if c.refused(w) {
		return
	}
	switch {
	case a.validated != "" && token == a.validated && !s.opts.DocumentedOnly:
		ok(w, http.StatusOK, nil)
	case a.otp == "":
		fail(w, http.StatusBadRequest, "OTP has not been requested")
	case s.opts.Now().Sub(a.otpSentAt) >= s.opts.OTPTTL:
		fail(w, http.StatusBadRequest, "OTP has expired, request a new one")
	case a.otpAttempts >= s.opts.MaxOTPAttempts:
		fail(w, http.StatusBadRequest, "Too many attempts, request a new OTP")
	case token != a.otp:
		a.otpAttempts++
		if left := s.opts.MaxOTPAttempts - a.otpAttempts; left > 0 {
			fail(w, http.StatusBadRequest, fmt.Sprintf("OTP is invalid, %d tries left", left))
		} else {
			fail(w, http.StatusBadRequest, "OTP is invalid. Too many attempts, request a new OTP")
		}
	default:
		a.validated, a.verified, a.otp = token, a.otpPhone, ""
		ok(w, http.StatusOK, nil)
	}
}

func (s *Server) complete(w http.ResponseWriter, b body, a *application) {
	var pre []string
	for _, img := range []string{"ktp_self", "selfie"} {
		if a.images[img] == 0 {
			pre = append(pre, "Image "+img+" has not been uploaded")
		}
	}
	if a.validated == "" {
		pre = append(pre, "Mobile phone has not been verified by OTP")
	}
	if pre != nil {
		fail(w, http.StatusBadRequest, pre...)
		return
	}
	data, errs := validateApplication(b, a.verified)
	if errs != nil {
		fail(w, http.StatusBadRequest, errs...)
		return
	}
	a.data = data
	a.completed++
	out := make(map[string]any, len(data)+3)
	for k, v := range data {
		out[k] = v
	}
	out["application_xid"], out["ktp"], out["email"] = a.xid, a.nik, a.email
	ok(w, http.StatusOK, out)
}
