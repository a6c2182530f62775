-- A product's schedule settings (lending.Schedule), under the schedule
-- engine's names and values. The defaults are the monthly declining-balance
-- annuity every product was priced with before, so existing products quote
-- exactly what they quoted.
ALTER TABLE products ADD COLUMN interest_method TEXT NOT NULL DEFAULT 'declining_balance';
ALTER TABLE products ADD COLUMN amortization TEXT NOT NULL DEFAULT 'equal_installments';
ALTER TABLE products ADD COLUMN interest_calculation_period TEXT NOT NULL DEFAULT 'same_as_repayment';
ALTER TABLE products ADD COLUMN allow_partial_period_interest BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN days_in_year TEXT NOT NULL DEFAULT 'actual';
ALTER TABLE products ADD COLUMN days_in_month TEXT NOT NULL DEFAULT 'actual';
ALTER TABLE products ADD COLUMN repayment_every INTEGER NOT NULL DEFAULT 1;
ALTER TABLE products ADD COLUMN grace_on_principal INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN grace_on_interest_payment INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN grace_on_interest_charged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN rounding_mode TEXT NOT NULL DEFAULT 'half_even';
ALTER TABLE products ADD COLUMN installment_in_multiples_of INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN currency_in_multiples_of INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN engine TEXT NOT NULL DEFAULT 'cumulative';
