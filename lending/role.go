package lending

import "slices"

// Role is what a back-office staff member may do.
type Role string

// Staff roles: underwriters decide applications, operations review
// documents and authorize cash releases, admins manage staff, partners and
// products.
const (
	RoleUnderwriter Role = "underwriter"
	RoleOperations  Role = "operations"
	RoleAdmin       Role = "admin"
)

// Roles lists every role.
var Roles = []Role{RoleUnderwriter, RoleOperations, RoleAdmin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// ReadsLoans reports whether staff of role r may read loans, their
// documents and their applicants' data: those who decide and release them.
// Admins manage accounts and products and see no loan (least privilege).
func (r Role) ReadsLoans() bool { return r == RoleUnderwriter || r == RoleOperations }
