-- Why a provider step of the loan waits for the operator (credentials
-- refused, an unknown ledger product), written while the step retries and
-- cleared when it succeeds; the console's attention queue lists the loans
-- with a note here or a provider's refusal in provider_error.
ALTER TABLE loans ADD COLUMN provider_waiting TEXT NOT NULL DEFAULT '';
CREATE INDEX ix_loans_attention ON loans (ref) WHERE provider_error <> '' OR provider_waiting <> '';
