package models

// Table names are fixed here rather than left to GORM's pluraliser (which
// would call the staff table "staffs"): the SQL migrations spell them out.

func (Partner) TableName() string     { return "partners" }
func (Staff) TableName() string       { return "staff" }
func (Product) TableName() string     { return "products" }
func (Loan) TableName() string        { return "loans" }
func (Installment) TableName() string { return "installments" }
func (Transaction) TableName() string { return "transactions" }
func (Document) TableName() string    { return "documents" }
func (AuditEvent) TableName() string  { return "audit_events" }

func (ReconciliationFinding) TableName() string { return "reconciliation_findings" }

func (IdempotencyKey) TableName() string { return "idempotency_keys" }
func (HeldRepayment) TableName() string  { return "held_repayments" }
