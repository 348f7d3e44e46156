package org.xenomarket.market.payment.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Webhook event ids already handled. */
@ApplicationScoped
public class StripeEventRepository {

    /** Records the event; false if it was recorded before (a replay), in which case nothing is to be done. */
    public Uni<Boolean> firstTime(String eventId, String type, String objectId, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO stripe_event (id, type, object_id, received_at)
                        VALUES (:id, :type, :object, :now) ON CONFLICT (id) DO NOTHING""")
                .setParameter("id", eventId)
                .setParameter("type", type)
                .setParameter("object", objectId)
                .setParameter("now", now)
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
