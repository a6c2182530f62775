package sim

import (
	"cmp"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

const dateLayout = "2006-01-02T15:04:05"

var wmidRE = regexp.MustCompile(`^\d{12}$`)

type request struct {
	XMLName xml.Name `xml:"service.request"`
	WMID    string   `xml:"wmid"`
	From    string   `xml:"from"`
	To      string   `xml:"to"`
	State   string   `xml:"state"`
	Sign    string   `xml:"sign"`
}

type response struct {
	XMLName xml.Name `xml:"service.response"`
	Credits *credits `xml:"credits,omitempty"`
	Retval  int      `xml:"retval"`
	Retdesc string   `xml:"retdesc"`
}

type credits struct {
	Count   int          `xml:"cnt,attr"`
	Credits []creditWire `xml:"credit"`
}

type creditWire struct {
	ID            int64  `xml:"id,attr"`
	OwnerWMID     string `xml:"ownerwmid"`
	DestWMID      string `xml:"destwmid"`
	PurseSrc      string `xml:"pursesrc"`
	PurseDest     string `xml:"pursedest"`
	PurseRet      string `xml:"purseret"`
	DateCrt       string `xml:"datecrt"`
	DateUpd       string `xml:"dateupd"`
	Amount        string `xml:"amount"`
	AmountRet     string `xml:"amount_ret"`
	AmountRetRest string `xml:"amount_ret_rest"`
	RetDate       string `xml:"ret_date"`
	RetPer        int    `xml:"ret_per"`
	State         int    `xml:"state"`
	WMTranID      string `xml:"wmtranid"`
	ContractID    string `xml:"contractid"`
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		reply(w, response{Retval: RetvalBadRequest, Retdesc: "request could not be read"})
		return
	}
	var req request
	if err := xml.Unmarshal(raw, &req); err != nil {
		reply(w, response{Retval: RetvalBadRequest, Retdesc: "request is not a service.request document"})
		return
	}
	req.WMID, req.From, req.To, req.State = strings.TrimSpace(req.WMID), strings.TrimSpace(req.From), strings.TrimSpace(req.To), strings.TrimSpace(req.State)
	if !wmidRE.MatchString(req.WMID) {
		reply(w, response{Retval: RetvalBadRequest, Retdesc: "wmid must be 12 digits"})
		return
	}
	from, errFrom := time.ParseInLocation(dateLayout, req.From, s.opts.Location)
	to, errTo := time.ParseInLocation(dateLayout, req.To, s.opts.Location)
	if errFrom != nil || errTo != nil {
		reply(w, response{Retval: RetvalBadRequest, Retdesc: "from and to must be dates in format yyyy-MM-ddTHH:mm:ss"})
		return
	}
	if to.Before(from) {
		reply(w, response{Retval: RetvalBadRequest, Retdesc: "from must not be after to"})
		return
	}
	state := -1
	if req.State != "" {
		n, err := strconv.Atoi(req.State)
		if err != nil || n < -1 || n > StateTerminatedPaymer {
			reply(w, response{Retval: RetvalBadRequest, Retdesc: "state must be -1 or 0..6"})
			return
		}
		state = n
	}
	password, known := s.opts.Lenders[req.WMID]
	sum := sha1.Sum([]byte(req.WMID + ":" + req.From + ":" + req.To + ":" + password))
	want := hex.EncodeToString(sum[:])
	if !known || subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToLower(req.Sign))) != 1 {
		reply(w, response{Retval: RetvalBadSignature, Retdesc: "invalid signature"})
		return
	}

	s.mu.Lock()
	s.requests++
	list := &credits{Credits: []creditWire{}}
	for _, c := range s.sortedLocked() {
		if c.OwnerWMID != req.WMID || c.Created.Before(from) || c.Created.After(to) || (state != -1 && c.State != state) {
			continue
		}
		list.Credits = append(list.Credits, s.wire(c))
	}
	s.mu.Unlock()
	list.Count = len(list.Credits)
	reply(w, response{Credits: list, Retval: RetvalOK})
}

func (s *Server) sortedLocked() []*Credit {
	out := make([]*Credit, 0, len(s.credits))
	for _, c := range s.credits {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Credit) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func (s *Server) wire(c *Credit) creditWire {
	t := func(v time.Time) string { return v.In(s.opts.Location).Format(dateLayout) }
	return creditWire{
		ID: c.ID, OwnerWMID: c.OwnerWMID, DestWMID: c.DestWMID, PurseSrc: c.PurseSrc, PurseDest: c.PurseDest,
		PurseRet: c.PurseRet, DateCrt: t(c.Created), DateUpd: t(c.Updated), Amount: c.Amount.StringFixed(2),
		AmountRet: c.AmountRet.StringFixed(2), AmountRetRest: c.AmountRetRest.StringFixed(2),
		RetDate: t(c.ReturnDate), RetPer: c.ReturnPeriod, State: c.State, WMTranID: c.WMTranID, ContractID: c.ContractID,
	}
}

func reply(w http.ResponseWriter, resp response) {
	body, err := xml.Marshal(resp)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}
