package sim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// headOffice is the only office of a fresh tenant.
const headOffice = 1

type client struct {
	id             int64
	externalID     string
	officeID       int64
	firstname      string
	lastname       string
	fullname       string
	mobileNo       string
	active         bool
	activationDate time.Time
	submittedOn    time.Time
}

func (c *client) displayName() string {
	if c.fullname != "" {
		return c.fullname
	}
	return strings.TrimSpace(c.firstname + " " + c.lastname)
}

var clientParams = []string{"officeId", "firstname", "lastname", "middlename", "fullname", "externalId",
	"mobileNo", "active", "activationDate", "submittedOnDate", "locale", "dateFormat", "groupId",
	"accountNo", "staffId", "savingsProductId", "genderId", "clientTypeId", "clientClassificationId",
	"legalFormId", "dateOfBirth", "emailAddress", "datatables"}

// createClient is POST clients (L873-977).
func (s *Server) createClient(r *http.Request) reply {
	b, rep := parseBody(r, "client", clientParams...)
	if rep != nil {
		return *rep
	}
	c := &client{officeID: b.integer("officeId", true), firstname: b.str("firstname"), lastname: b.str("lastname"),
		fullname: b.str("fullname"), externalID: b.str("externalId"), mobileNo: b.str("mobileNo")}
	if c.fullname == "" {
		if c.firstname == "" {
			b.probs.mandatory("client", "firstname")
		}
		if c.lastname == "" {
			b.probs.mandatory("client", "lastname")
		}
	}
	if !b.has("active") {
		b.probs.mandatory("client", "active")
	}
	c.active = b.boolean("active")
	if c.active {
		c.activationDate = b.date("activationDate", true)
	}
	c.submittedOn = b.date("submittedOnDate", false)
	if len(b.probs) > 0 {
		return validation(b.probs...)
	}
	if c.officeID != headOffice {
		return notFound("error.msg.office.id.invalid", fmt.Sprintf("Office with identifier %d does not exist", c.officeID), c.officeID)
	}
	if c.externalID != "" {
		if _, dup := s.clientByExt[c.externalID]; dup {
			return dataIntegrity("externalId", "error.msg.client.duplicate.externalId",
				fmt.Sprintf("Client with externalId `%s` already exists", c.externalID))
		}
	}
	s.nextClient++
	c.id = s.nextClient
	s.clients[c.id] = c
	if c.externalID != "" {
		s.clientByExt[c.externalID] = c.id
	}
	return ok(map[string]any{"officeId": c.officeID, "clientId": c.id, "resourceId": c.id})
}

func (s *Server) getClient(idStr string) reply {
	id, err := strconv.ParseInt(idStr, 10, 64)
	c := s.clients[id]
	if err != nil || c == nil {
		return notFound("error.msg.client.id.invalid", fmt.Sprintf("Client with identifier %s does not exist", idStr), idStr)
	}
	return ok(renderClient(c))
}

// listClients is GET clients with the externalId filter (L1271-1345).
func (s *Server) listClients(r *http.Request) reply {
	ext := r.URL.Query().Get("externalId")
	items := []map[string]any{}
	for id := int64(1); id <= s.nextClient; id++ {
		c := s.clients[id]
		if c != nil && (ext == "" || c.externalID == ext) {
			items = append(items, renderClient(c))
		}
	}
	return ok(map[string]any{"totalFilteredRecords": len(items), "pageItems": items})
}

func renderClient(c *client) map[string]any {
	status := map[string]any{"id": 100, "code": "clientStatusType.pending", "value": "Pending"}
	if c.active {
		status = map[string]any{"id": 300, "code": "clientStatusType.active", "value": "Active"}
	}
	m := map[string]any{
		"id": c.id, "accountNo": fmt.Sprintf("%09d", c.id), "status": status, "active": c.active,
		"displayName": c.displayName(), "officeId": c.officeID, "officeName": "Head Office",
	}
	if c.externalID != "" {
		m["externalId"] = c.externalID
	}
	if c.fullname != "" {
		m["fullname"] = c.fullname
	} else {
		m["firstname"], m["lastname"] = c.firstname, c.lastname
	}
	if c.mobileNo != "" {
		m["mobileNo"] = c.mobileNo
	}
	if c.active {
		m["activationDate"] = jdate(c.activationDate)
	}
	return m
}
