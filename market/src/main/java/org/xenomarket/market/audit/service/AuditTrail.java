package org.xenomarket.market.audit.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.xenomarket.market.audit.AuditEvent;
import org.xenomarket.market.audit.AuditFilter;
import org.xenomarket.market.audit.repository.AuditRepository;
import org.xenomarket.market.paging.Cursor;
import org.xenomarket.market.problem.InvalidInput;

/** Reads the audit log: one page of the events a filter lets through. */
@ApplicationScoped
public class AuditTrail {

    private final AuditRepository events;

    public AuditTrail(AuditRepository events) {
        this.events = events;
    }

    /** The filter's events, a page at a time; a time range must run forwards (400 naming {@code to}). */
    @WithSession
    public Uni<List<AuditEvent>> page(AuditFilter filter, Cursor cursor, boolean newestFirst) {
        if (filter.from() != null && filter.to() != null && !filter.to().isAfter(filter.from())) {
            throw new InvalidInput("to", "must be after from");
        }
        return events.page(filter, cursor.after(), cursor.limit(), newestFirst);
    }
}
