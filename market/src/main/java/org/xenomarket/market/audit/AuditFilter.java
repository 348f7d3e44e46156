package org.xenomarket.market.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * Which audit events an operator asks for; every part is optional (null: any). {@code actorId} is the
 * acting account, {@code objectType} and {@code objectId} the subject, {@code from} inclusive and
 * {@code to} exclusive.
 */
public record AuditFilter(UUID actorId, String action, String objectType, String objectId, Instant from,
                          Instant to, String requestId) {
}
