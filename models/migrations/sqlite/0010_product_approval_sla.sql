-- A product's own approval deadline in hours; 0 keeps the deployment's
-- LOANFLOW_APPROVAL_TTL, which every product followed before.
ALTER TABLE products ADD COLUMN approval_sla_hours INTEGER NOT NULL DEFAULT 0;
