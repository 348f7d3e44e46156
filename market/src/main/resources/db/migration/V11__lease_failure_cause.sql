-- Whose fault a failed lease was, so that reliability counts only the server's own failures.
-- HOST: the server's host, hypervisor, agent or own boot image (and any failure nobody says more
-- about). IMAGE: the catalogue image the sponsor's bid named could not be fetched or was not the
-- catalogue's bytes; the node agent reports it, and the market accepts it only for a lease whose
-- bid names a catalogue image and whose guest never ran.
ALTER TABLE lease ADD COLUMN failure_cause text CHECK (failure_cause IN ('HOST', 'IMAGE'));
ALTER TABLE lease ADD CONSTRAINT lease_failure_cause_only_when_failed
    CHECK (failure_cause IS NULL OR state = 'FAILED');

-- Failures before this migration were all counted against their server; they keep being.
UPDATE lease SET failure_cause = 'HOST' WHERE state = 'FAILED';
