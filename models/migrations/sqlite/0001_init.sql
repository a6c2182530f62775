-- loanflow schema, SQLite. Money and rates are TEXT: a column declared
-- NUMERIC would coerce "1234.5678" to a REAL. Dates are declared DATE and
-- instants DATETIME, the declared types the driver parses back into
-- time.Time (written as UTC text, so they also compare as strings). BOOLEAN
-- holds 0/1.

-- Loan refs: one row, bumped with UPDATE ... RETURNING, which is atomic
-- under SQLite's single writer.
CREATE TABLE loan_ref_counter (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    next_value INTEGER NOT NULL
);
INSERT INTO loan_ref_counter (id, next_value) VALUES (1, 90000);

CREATE TABLE partners (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    username             TEXT        NOT NULL,
    name                 TEXT        NOT NULL,
    partner_type         TEXT        NOT NULL,
    password_hash        TEXT        NOT NULL,
    default_product_code TEXT        NOT NULL,
    active               BOOLEAN     NOT NULL,
    created_at           DATETIME    NOT NULL
);
CREATE UNIQUE INDEX idx_partners_username ON partners (username);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT        NOT NULL,
    name          TEXT        NOT NULL,
    role          TEXT        NOT NULL,
    password_hash TEXT        NOT NULL,
    active        BOOLEAN     NOT NULL,
    created_at    DATETIME    NOT NULL
);
CREATE UNIQUE INDEX idx_staff_username ON staff (username);

CREATE TABLE products (
    id                       INTEGER PRIMARY KEY AUTOINCREMENT,
    code                     TEXT        NOT NULL,
    name                     TEXT        NOT NULL,
    currency                 TEXT        NOT NULL,
    currency_decimals        INTEGER     NOT NULL,
    min_amount               TEXT        NOT NULL,
    max_amount               TEXT        NOT NULL,
    min_term_months          INTEGER     NOT NULL,
    max_term_months          INTEGER     NOT NULL,
    annual_interest_rate     TEXT        NOT NULL,
    disbursement_fee_percent TEXT        NOT NULL,
    monthly_fee_percent      TEXT        NOT NULL,
    min_age                  INTEGER     NOT NULL,
    max_age_at_maturity      INTEGER     NOT NULL,
    max_open_loans           INTEGER     NOT NULL,
    cash_release_window_days INTEGER     NOT NULL,
    four_eyes_threshold      TEXT        NOT NULL,
    ledger                   TEXT        NOT NULL,
    lender                   TEXT        NOT NULL,
    active                   BOOLEAN     NOT NULL,
    created_at               DATETIME    NOT NULL
);
CREATE UNIQUE INDEX idx_products_code ON products (code);

CREATE TABLE loans (
    ref                         INTEGER PRIMARY KEY,
    partner_id                  INTEGER     NOT NULL REFERENCES partners (id),
    product_code                TEXT        NOT NULL,
    status                      TEXT        NOT NULL,
    reason_codes                TEXT        NOT NULL,
    reason                      TEXT        NOT NULL,
    idempotency_key             TEXT        NOT NULL,
    request_hash                TEXT        NOT NULL,
    currency                    TEXT        NOT NULL,
    amount                      TEXT        NOT NULL,
    term_months                 INTEGER     NOT NULL,
    annual_interest_rate        TEXT        NOT NULL,
    installment_amount          TEXT        NOT NULL,
    total_repayable             TEXT        NOT NULL,
    repaid                      TEXT        NOT NULL,
    apr                         TEXT        NOT NULL,
    applicant_identity_number   TEXT        NOT NULL,
    applicant_first_name        TEXT        NOT NULL,
    applicant_last_name         TEXT        NOT NULL,
    applicant_patronymic        TEXT        NOT NULL,
    applicant_birth_date        DATE        NOT NULL,
    applicant_document_serial   TEXT        NOT NULL,
    applicant_mobile_phone      TEXT        NOT NULL,
    applicant_home_phone        TEXT        NOT NULL,
    applicant_alt_contact_name  TEXT        NOT NULL,
    applicant_alt_contact_rel   TEXT        NOT NULL,
    applicant_alt_contact_phone TEXT        NOT NULL,
    applicant_town              TEXT        NOT NULL,
    applicant_street            TEXT        NOT NULL,
    applicant_house             TEXT        NOT NULL,
    applicant_apartment         TEXT        NOT NULL,
    submitted_by                TEXT        NOT NULL,
    office                      TEXT        NOT NULL,
    approved_by                 TEXT        NOT NULL,
    cash_release_authorized_by  TEXT        NOT NULL,
    first_repayment_date        DATE,
    disbursed_on                DATE,
    closed_on                   DATE,
    created_at                  DATETIME    NOT NULL,
    updated_at                  DATETIME    NOT NULL
);
-- A partner's Idempotency-Key names one loan; loans created without a key
-- are not constrained.
CREATE UNIQUE INDEX ux_loans_partner_idempotency_key ON loans (partner_id, idempotency_key) WHERE idempotency_key <> '';
-- List queries: by partner, by status, by everything, newest first.
CREATE INDEX idx_loans_partner_created ON loans (partner_id, created_at, ref);
CREATE INDEX idx_loans_status_created ON loans (status, created_at, ref);
CREATE INDEX idx_loans_created ON loans (created_at, ref);
-- CountOpenLoans.
CREATE INDEX idx_loans_applicant_product ON loans (applicant_identity_number, product_code);

CREATE TABLE installments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    loan_ref   INTEGER NOT NULL REFERENCES loans (ref),
    number     INTEGER NOT NULL,
    from_date  DATE    NOT NULL,
    due_date   DATE    NOT NULL,
    principal  TEXT    NOT NULL,
    interest   TEXT    NOT NULL,
    fees       TEXT    NOT NULL,
    total      TEXT    NOT NULL,
    paid       TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_installment_loan_number ON installments (loan_ref, number);

CREATE TABLE transactions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    loan_ref        INTEGER     NOT NULL REFERENCES loans (ref),
    idempotency_key TEXT        NOT NULL,
    kind            TEXT        NOT NULL,
    amount          TEXT        NOT NULL,
    overpayment     TEXT        NOT NULL,
    value_date      DATE        NOT NULL,
    created_at      DATETIME    NOT NULL
);
CREATE UNIQUE INDEX ux_transaction_loan_key ON transactions (loan_ref, idempotency_key);

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    loan_ref     INTEGER     NOT NULL REFERENCES loans (ref),
    kind         TEXT        NOT NULL,
    filename     TEXT        NOT NULL,
    content_type TEXT        NOT NULL,
    size         INTEGER     NOT NULL,
    sha256       TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    data         BLOB        NOT NULL,
    uploaded_by  TEXT        NOT NULL,
    created_at   DATETIME    NOT NULL
);
CREATE INDEX idx_documents_loan_ref ON documents (loan_ref, id);

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    loan_ref    INTEGER     NOT NULL REFERENCES loans (ref),
    seq         INTEGER     NOT NULL,
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    from_status TEXT        NOT NULL,
    to_status   TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    at          DATETIME    NOT NULL
);
CREATE UNIQUE INDEX ux_audit_loan_seq ON audit_events (loan_ref, seq);
