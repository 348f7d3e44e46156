-- Operators page through the audit log by acting account, action or time (GET /api/v1/audit); pages
-- are by id, which is time-ordered (UUIDv7). The subject and request id have their indexes (V4, V12).
CREATE INDEX audit_event_actor_idx ON audit_event (actor_id, id) WHERE actor_id IS NOT NULL;
CREATE INDEX audit_event_action_idx ON audit_event (action, id);
CREATE INDEX audit_event_at_idx ON audit_event (at);
