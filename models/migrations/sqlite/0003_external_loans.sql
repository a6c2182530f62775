-- External loans: loans issued outside loanflow that a reconciliation feed
-- reports (the WebMoney Debt service's list of issued loans), one row per
-- (source, external_id), and the state changes the feed revealed. Amounts
-- are TEXT, as everywhere (NUMERIC would coerce them to REAL); instants are
-- DATETIME written as UTC text.

CREATE TABLE external_loans (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    source              TEXT        NOT NULL,
    external_id         TEXT        NOT NULL,
    lender_id           TEXT        NOT NULL,
    borrower_id         TEXT        NOT NULL,
    source_account      TEXT        NOT NULL,
    destination_account TEXT        NOT NULL,
    repayment_account   TEXT        NOT NULL,
    transfer_id         TEXT        NOT NULL,
    contract_id         TEXT        NOT NULL,
    amount              TEXT        NOT NULL,
    amount_to_repay     TEXT        NOT NULL,
    amount_outstanding  TEXT        NOT NULL,
    issued_at           DATETIME    NOT NULL,
    due_at              DATETIME    NOT NULL,
    return_period       INTEGER     NOT NULL,
    state               INTEGER     NOT NULL,
    state_name          TEXT        NOT NULL,
    state_changed_at    DATETIME    NOT NULL,
    first_seen_at       DATETIME    NOT NULL,
    updated_at          DATETIME    NOT NULL
);
CREATE UNIQUE INDEX ux_external_loans_source_id ON external_loans (source, external_id);
-- The back-office list (newest issued first) and the reconciliation's
-- search for the oldest loan still open.
CREATE INDEX idx_external_loans_issued ON external_loans (source, issued_at, id);
CREATE INDEX idx_external_loans_state ON external_loans (source, state, issued_at);

CREATE TABLE external_loan_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    external_loan_id INTEGER     NOT NULL REFERENCES external_loans (id),
    from_state       INTEGER     NOT NULL,
    from_state_name  TEXT        NOT NULL,
    to_state         INTEGER     NOT NULL,
    to_state_name    TEXT        NOT NULL,
    -- changed_at is when the source says the state changed; at is when the
    -- feed showed it to loanflow.
    changed_at       DATETIME    NOT NULL,
    at               DATETIME    NOT NULL
);
CREATE INDEX idx_external_loan_events_loan ON external_loan_events (external_loan_id, id);
