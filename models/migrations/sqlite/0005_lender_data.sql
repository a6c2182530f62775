-- What a lender needs beyond our application (JULO: NIK, e-mail, address,
-- household and employment data), as the JSON the partner sent; empty for
-- lenders that need nothing more.
ALTER TABLE loans ADD COLUMN lender_data TEXT NOT NULL DEFAULT '';
