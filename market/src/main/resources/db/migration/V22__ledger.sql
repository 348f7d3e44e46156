-- The double-entry ledger. A journal entry is one business event (an invoice, a credit note, a
-- payment, a refund, a payout); its lines move money between accounts, debits positive and credits
-- negative, in integer minor units, and sum to zero per currency.
CREATE TABLE journal_entry (
    id                  uuid PRIMARY KEY,
    kind                text NOT NULL CHECK (kind IN ('INVOICE', 'CREDIT_NOTE', 'PAYMENT', 'REFUND', 'PAYOUT')),
    invoice_id          uuid REFERENCES invoice (id),
    -- The payment provider's id of a payment, refund or payout: posting the same one twice is refused.
    provider_reference  text UNIQUE,
    posted_at           timestamptz NOT NULL,
    description         text NOT NULL,
    CHECK ((kind IN ('INVOICE', 'CREDIT_NOTE', 'PAYMENT', 'REFUND')) = (invoice_id IS NOT NULL)),
    CHECK ((kind IN ('PAYMENT', 'REFUND', 'PAYOUT')) = (provider_reference IS NOT NULL))
);
-- An invoice or credit note is posted once.
CREATE UNIQUE INDEX journal_entry_document_idx ON journal_entry (invoice_id) WHERE kind IN ('INVOICE', 'CREDIT_NOTE');

CREATE TABLE journal_line (
    entry_id        uuid NOT NULL REFERENCES journal_entry (id),
    line_no         integer NOT NULL CHECK (line_no > 0),
    account         text NOT NULL CHECK (account IN ('SPONSOR_RECEIVABLE', 'PROVIDER_PAYABLE', 'PLATFORM_FEE_REVENUE',
                                                     'PROVIDER_CASH')),
    -- The sponsor of a receivable, the provider of a payable; NULL for the platform's own accounts.
    party_id        uuid REFERENCES account (id),
    currency        char(3) NOT NULL,
    amount_minor    bigint NOT NULL CHECK (amount_minor <> 0),
    PRIMARY KEY (entry_id, line_no),
    CHECK ((account IN ('SPONSOR_RECEIVABLE', 'PROVIDER_PAYABLE')) = (party_id IS NOT NULL))
);
CREATE INDEX journal_line_account_idx ON journal_line (account, party_id);

-- Balance is checked at commit (a deferred constraint trigger), once the whole entry is in: any
-- transaction that leaves an entry's lines not summing to zero in some currency fails.
CREATE FUNCTION check_journal_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    off record;
BEGIN
    SELECT currency, sum(amount_minor) AS total INTO off FROM journal_line
        WHERE entry_id = NEW.entry_id GROUP BY currency HAVING sum(amount_minor) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance: its % lines sum to %', NEW.entry_id, off.currency, off.total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER journal_line_balanced AFTER INSERT ON journal_line
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_journal_entry_balanced();

CREATE TRIGGER journal_entry_immutable BEFORE UPDATE OR DELETE ON journal_entry
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_issued();
CREATE TRIGGER journal_line_immutable BEFORE UPDATE OR DELETE ON journal_line
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_issued();
