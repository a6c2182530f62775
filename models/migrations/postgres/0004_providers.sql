-- Provider routing: where a loan is booked and who funds it, and what the
-- ledger said when it disagreed.
ALTER TABLE loans ADD COLUMN ledger TEXT NOT NULL DEFAULT 'none';
ALTER TABLE loans ADD COLUMN lender TEXT NOT NULL DEFAULT 'self';
ALTER TABLE loans ADD COLUMN ledger_loan_id TEXT NOT NULL DEFAULT '';
ALTER TABLE loans ADD COLUMN lender_loan_id TEXT NOT NULL DEFAULT '';
ALTER TABLE loans ADD COLUMN provider_error TEXT NOT NULL DEFAULT '';

CREATE TABLE reconciliation_findings (
    id                 BIGSERIAL PRIMARY KEY,
    loan_ref           BIGINT      NOT NULL REFERENCES loans (ref),
    provider           TEXT        NOT NULL,
    installment_number INTEGER     NOT NULL,
    field              TEXT        NOT NULL,
    ours               NUMERIC     NOT NULL,
    theirs             NUMERIC     NOT NULL,
    found_at           TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX ux_findings_loan_field ON reconciliation_findings (loan_ref, provider, installment_number, field);
