package org.xenomarket.market.audit;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Who did what to which object, and the object before and after; only ever inserted. */
@Entity
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "actor_id")
    public UUID actorId;

    @Column(name = "actor_role", nullable = false)
    public String actorRole;

    /** The token that asked (null: the market itself, or an event older than V12). */
    @Column(name = "actor_token_id")
    public UUID actorTokenId;

    /** The request that made the change, as its answer's X-Request-Id said (null as above). */
    @Column(name = "request_id")
    public String requestId;

    @Column(nullable = false)
    public String action;

    @Column(name = "object_type", nullable = false)
    public String objectType;

    @Column(name = "object_id", nullable = false)
    public String objectId;

    public String before;

    public String after;

    public String detail;

    @Column(nullable = false)
    public Instant at;
}
