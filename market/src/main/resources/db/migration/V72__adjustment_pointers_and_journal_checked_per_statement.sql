-- Two changes: late egress lines point at the line they adjust, and the journal is checked per statement.

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

-- A journal entry's balance, and that its lines' entry exists, checked once per INSERT over all
-- the entries it touched, instead of per line (a deferred per-row trigger ran one query per line
-- at commit, and the foreign key one locking lookup per line: an invoice run posts 3,000 lines).
-- Every posting inserts an entry's lines in one statement, so the entry is whole when its
-- statement ends; the check sums all the entry's lines, so a later statement adding lines to it
-- is checked as well. No row lock is needed to keep the entry in place: journal entries are never
-- updated nor deleted (trigger journal_entry_immutable).
DROP TRIGGER journal_line_balanced ON journal_line;
DROP FUNCTION check_journal_entry_balanced();
ALTER TABLE journal_line DROP CONSTRAINT journal_line_entry_id_fkey;

CREATE FUNCTION check_journal_lines() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    off record;
BEGIN
    SELECT a.entry_id INTO off FROM added a
    WHERE NOT EXISTS (SELECT 1 FROM journal_entry e WHERE e.id = a.entry_id) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not exist', off.entry_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT l.entry_id, l.currency, sum(l.amount_minor) AS total INTO off FROM journal_line l
    WHERE l.entry_id IN (SELECT DISTINCT entry_id FROM added)
    GROUP BY l.entry_id, l.currency HAVING sum(l.amount_minor) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance: its % lines sum to %', off.entry_id, off.currency, off.total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER journal_line_checked AFTER INSERT ON journal_line REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION check_journal_lines();
