-- Servicing: the product's settings for a paid-out loan, and the money of
-- each installment and loan by component (servicing.Account's figures).
ALTER TABLE products ADD COLUMN prepayment_strategy TEXT NOT NULL DEFAULT 'next_installments';
ALTER TABLE products ADD COLUMN allocation_order TEXT NOT NULL DEFAULT 'penalties_fees_interest_principal';
ALTER TABLE products ADD COLUMN early_repayment_fee_percent TEXT NOT NULL DEFAULT '0';
ALTER TABLE products ADD COLUMN penalty_grace_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN late_fee TEXT NOT NULL DEFAULT '0';
ALTER TABLE products ADD COLUMN penalty_rate TEXT NOT NULL DEFAULT '0';
ALTER TABLE products ADD COLUMN penalty_cap_percent TEXT NOT NULL DEFAULT '0';
ALTER TABLE products ADD COLUMN delinquency_buckets TEXT NOT NULL DEFAULT '30,60,90';
ALTER TABLE products ADD COLUMN holiday_interest TEXT NOT NULL DEFAULT 'first_installment';
ALTER TABLE products ADD COLUMN accrual_days_in_year TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN accrual_days_in_month TEXT NOT NULL DEFAULT '';

ALTER TABLE installments ADD COLUMN penalties TEXT NOT NULL DEFAULT '0';
ALTER TABLE installments ADD COLUMN paid_principal TEXT NOT NULL DEFAULT '0';
ALTER TABLE installments ADD COLUMN paid_interest TEXT NOT NULL DEFAULT '0';
ALTER TABLE installments ADD COLUMN paid_fees TEXT NOT NULL DEFAULT '0';
ALTER TABLE installments ADD COLUMN paid_penalties TEXT NOT NULL DEFAULT '0';
ALTER TABLE installments ADD COLUMN waived TEXT NOT NULL DEFAULT '0';
ALTER TABLE installments ADD COLUMN written_off TEXT NOT NULL DEFAULT '0';
ALTER TABLE installments ADD COLUMN unearned TEXT NOT NULL DEFAULT '0';

ALTER TABLE loans ADD COLUMN days_past_due INTEGER NOT NULL DEFAULT 0;
ALTER TABLE loans ADD COLUMN delinquency_bucket TEXT NOT NULL DEFAULT '';
ALTER TABLE loans ADD COLUMN penalties_due TEXT NOT NULL DEFAULT '0';
ALTER TABLE loans ADD COLUMN overpaid TEXT NOT NULL DEFAULT '0';
ALTER TABLE loans ADD COLUMN written_off TEXT NOT NULL DEFAULT '0';
ALTER TABLE loans ADD COLUMN recovered TEXT NOT NULL DEFAULT '0';
CREATE INDEX ix_loans_days_past_due ON loans (days_past_due);
-- servicing_seq orders the workflow's snapshots of the loan's money: a late
-- retry of an older one never overwrites a newer one.
ALTER TABLE loans ADD COLUMN servicing_seq INTEGER NOT NULL DEFAULT 0;
