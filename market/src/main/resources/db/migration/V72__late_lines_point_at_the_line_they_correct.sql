-- A LATE_EGRESS line is an adjustment: it points at the line it corrects, like a credit line, so
-- the original line and its corrections read together ("corrections are credit notes or adjustment
-- lines that point at the line they correct"). It corrects the lease's EGRESS line of that period,
-- or, where that period billed the lease no egress, the lease's RESERVED line on that period's
-- invoice; a credit line must point, every other kind must not.
DO $$
DECLARE
    pointer_check text;
BEGIN
    SELECT conname INTO STRICT pointer_check FROM pg_constraint
    WHERE conrelid = 'invoice_line'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%corrects_invoice_id IS NOT NULL%';
    EXECUTE format('ALTER TABLE invoice_line DROP CONSTRAINT %I', pointer_check);
END $$;

ALTER TABLE invoice_line ADD CONSTRAINT invoice_line_corrects_check CHECK (
    (corrects_invoice_id IS NULL) = (corrects_line_no IS NULL)
    AND (kind <> 'CREDIT' OR corrects_invoice_id IS NOT NULL)
    AND (kind IN ('CREDIT', 'LATE_EGRESS') OR corrects_invoice_id IS NULL));
