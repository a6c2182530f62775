-- What a lender needs beyond our application (JULO: NIK, e-mail, address,
-- household and employment data), as the JSON the partner sent; empty for
-- lenders that need nothing more. TEXT, not JSONB: the empty string of the
-- loans without such data is not JSON, and nothing queries inside it.
ALTER TABLE loans ADD COLUMN lender_data TEXT NOT NULL DEFAULT '';
