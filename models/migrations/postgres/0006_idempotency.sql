-- Idempotency keys of every keyed action but the submission (the loan row
-- keeps its own): one row per caller and key, claimed before the action
-- runs, so the same key with another request is refused however many
-- arrive at once.
CREATE TABLE idempotency_keys (
    id           BIGSERIAL PRIMARY KEY,
    actor        TEXT     NOT NULL,
    idempotency_key TEXT  NOT NULL,
    action       TEXT     NOT NULL,
    loan_ref     BIGINT   NOT NULL,
    request_hash TEXT     NOT NULL,
    resource_id  BIGINT   NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX ux_idempotency_actor_key ON idempotency_keys (actor, idempotency_key);

-- Repayments the Iute façade could not tell from a retry of an equal one:
-- held for operations to book or dismiss, never dropped.
CREATE TABLE held_repayments (
    id          BIGSERIAL PRIMARY KEY,
    loan_ref    BIGINT   NOT NULL REFERENCES loans (ref),
    amount      NUMERIC  NOT NULL,
    paid_on     DATE     NOT NULL,
    received_by TEXT     NOT NULL,
    similar_to  TEXT     NOT NULL,
    status      TEXT     NOT NULL,
    resolved_by TEXT     NOT NULL DEFAULT '',
    resolved_at TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_held_repayments_loan ON held_repayments (loan_ref);
