-- A partner's own request limit on the partner APIs (requests per second
-- and burst); 0 follows the deployment's LOANFLOW_PARTNER_RATE and
-- LOANFLOW_PARTNER_BURST, as every partner did before.
ALTER TABLE partners ADD COLUMN rate_per_second REAL NOT NULL DEFAULT 0;
ALTER TABLE partners ADD COLUMN rate_burst INTEGER NOT NULL DEFAULT 0;
