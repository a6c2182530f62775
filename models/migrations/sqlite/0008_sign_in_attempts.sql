-- Console sign-in attempts, kept while they count against the guessing
-- limits. An attempt is stored as pending before its password is checked
-- and counted with it, so parallel attempts cannot overrun the limits on any
-- replica. The console audit log keeps the history; this is the throttle's
-- working state, purged as it ages out.

CREATE TABLE sign_in_attempts (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        DATETIME    NOT NULL,
    username  TEXT        NOT NULL,
    client_ip TEXT        NOT NULL,
    outcome   TEXT        NOT NULL
);
-- A username from an address, and its last success; an address; the purge.
CREATE INDEX idx_sign_in_attempts_user ON sign_in_attempts (username, at);
CREATE INDEX idx_sign_in_attempts_client ON sign_in_attempts (client_ip, at);
CREATE INDEX idx_sign_in_attempts_at ON sign_in_attempts (at);
