-- Late usage: signed usage that reaches the market after its hour's period was invoiced. The next
-- invoice run bills it as a LATE_EGRESS line on the sponsor's invoice of that run; the line's
-- charged window is the invoiced period the usage belongs to (not the run's own period), so
-- invoice lines of kinds EGRESS and LATE_EGRESS of one lease and one charged window together bill
-- exactly the rollups of that window, never more.
ALTER TABLE invoice_line DROP CONSTRAINT invoice_line_kind_check;
ALTER TABLE invoice_line ADD CONSTRAINT invoice_line_kind_check
    CHECK (kind IN ('RESERVED_VCPU', 'RESERVED_MEMORY', 'RESERVED_DISK', 'EGRESS', 'LATE_EGRESS', 'CREDIT'));

-- An invoice run looks for late usage among the records received since shortly before the
-- previous run began; this index keeps that look a range scan of the index alone (it carries what
-- the look reads), however long usage_record grows.
CREATE INDEX usage_record_received_idx ON usage_record (received_at) INCLUDE (lease_id, t0, t1);

