-- A partner's webhook endpoint (one per partner): where its loans' events
-- are sent and which. The signing secrets are sealed with a key derived
-- from the payload keys: they must be read back to sign, so they cannot be
-- hashed. During a rotation the previous secret signs too, until
-- previous_secret_until. rotation_key is the Idempotency-Key of the last
-- rotation, so a repeated request answers the same secret.
CREATE TABLE webhook_endpoints (
    partner_id            BIGINT        PRIMARY KEY REFERENCES partners (id),
    url                   TEXT        NOT NULL,
    events                TEXT        NOT NULL,
    secret                TEXT        NOT NULL,
    previous_secret       TEXT        NOT NULL DEFAULT '',
    previous_secret_until TIMESTAMPTZ,
    rotation_key          TEXT        NOT NULL DEFAULT '',
    allow_private         BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);

-- The outbox: one row per event for a partner's endpoint, written in the
-- same transaction as the loan change it tells of, delivered in id order
-- by the partner's delivery workflow.
CREATE TABLE webhook_events (
    id              BIGSERIAL PRIMARY KEY,
    message_id      TEXT        NOT NULL UNIQUE,
    partner_id      BIGINT        NOT NULL REFERENCES partners (id),
    loan_ref        BIGINT      NOT NULL REFERENCES loans (ref),
    type            TEXT        NOT NULL,
    payload         TEXT        NOT NULL,
    status          TEXT        NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    last_status_code INTEGER    NOT NULL DEFAULT 0,
    last_error      TEXT        NOT NULL DEFAULT '',
    last_attempt_at TIMESTAMPTZ,
    delivered_at    TIMESTAMPTZ,
    deliver_until   TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_webhook_events_partner ON webhook_events (partner_id, id);
CREATE INDEX ix_webhook_events_pending ON webhook_events (partner_id, id) WHERE status = 'pending';
CREATE INDEX ix_webhook_events_loan_pending ON webhook_events (loan_ref) WHERE status = 'pending';

-- Every attempt to deliver an event, with the endpoint's answer.
CREATE TABLE webhook_attempts (
    id          BIGSERIAL PRIMARY KEY,
    event_id    BIGINT      NOT NULL REFERENCES webhook_events (id),
    attempt     INTEGER     NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    status_code INTEGER     NOT NULL,
    response    TEXT        NOT NULL,
    error       TEXT        NOT NULL,
    duration_ms BIGINT      NOT NULL,
    UNIQUE (event_id, attempt)
);
