package org.xenomarket.market.pricing;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import org.xenomarket.pricing.PriceSheet;

/**
 * Stored price sheets (V79): the server as the rules saw it, nothing reserved, the policy version and as of
 * when. Quotes reference the sheet they were priced from, so their breakdown is worked out again from it
 * instead of being stored; both a clearing round's quotes and those given through the API store theirs here.
 */
@ApplicationScoped
public class PriceSheetRepository {

    private static final String INSERT_SHEETS = """
            INSERT INTO price_sheet (id, server_id, policy_version, as_of, snapshot)
            SELECT r.id, r.server_id, r.policy_version, r.as_of, r.snapshot
            FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb))
                AS r(id uuid, server_id uuid, policy_version text, as_of timestamptz, snapshot jsonb)
            """;

    /** Stores the sheets (by the ids given) in the caller's transaction, in one statement; returns how many. */
    public Uni<Integer> insertSheets(Map<UUID, PriceSheet> sheetsById) {
        if (sheetsById.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        JsonArray rows = new JsonArray();
        sheetsById.forEach((id, sheet) -> rows.add(new JsonObject()
                .put("id", id.toString())
                .put("server_id", sheet.serverId())
                .put("policy_version", sheet.policyVersion())
                .put("as_of", sheet.asOf().toString())
                .put("snapshot", PriceSheetSnapshot.toJson(sheet))));
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT_SHEETS)
                .setParameter("rows", rows.encode())
                .executeUpdate());
    }
}
