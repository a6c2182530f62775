-- Back-office console: server-side sessions and the console's own audit
-- log (sign-ins, admin changes, every loan action attempted, refused or
-- not). Loan transitions themselves stay in audit_events, written by the
-- workflow.

CREATE TABLE console_sessions (
    -- Hex SHA-256 of the cookie token: the database never holds a token a
    -- reader could replay.
    id           TEXT        PRIMARY KEY,
    staff_id     INTEGER     NOT NULL REFERENCES staff (id),
    csrf_token   TEXT        NOT NULL,
    flash        TEXT        NOT NULL,
    client_ip    TEXT        NOT NULL,
    user_agent   TEXT        NOT NULL,
    created_at   DATETIME    NOT NULL,
    last_seen_at DATETIME    NOT NULL,
    expires_at   DATETIME    NOT NULL
);
CREATE INDEX idx_console_sessions_staff ON console_sessions (staff_id);
CREATE INDEX idx_console_sessions_expires ON console_sessions (expires_at);

CREATE TABLE console_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        DATETIME    NOT NULL,
    actor     TEXT        NOT NULL,
    client_ip TEXT        NOT NULL,
    action    TEXT        NOT NULL,
    target    TEXT        NOT NULL,
    outcome   TEXT        NOT NULL,
    detail    TEXT        NOT NULL
);
-- The audit page, newest first; failed sign-ins per user and per address.
CREATE INDEX idx_console_events_at ON console_events (at, id);
CREATE INDEX idx_console_events_target ON console_events (action, target, at);
CREATE INDEX idx_console_events_client ON console_events (action, client_ip, at);
