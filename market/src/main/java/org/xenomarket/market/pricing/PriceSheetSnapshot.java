package org.xenomarket.market.pricing;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import org.xenomarket.pricing.GeoPoint;
import org.xenomarket.pricing.PriceSheet;
import org.xenomarket.pricing.Resource;
import org.xenomarket.pricing.ResourceVector;
import org.xenomarket.pricing.ServerSnapshot;

/**
 * A price sheet's server as stored in {@code price_sheet.snapshot} (V79): everything the rules saw of
 * the server except what was reserved, which each quote referencing the sheet stores itself. Written
 * by a clearing round, read back to work a quote's breakdown out again.
 */
public final class PriceSheetSnapshot {

    private PriceSheetSnapshot() {
    }

    /** The sheet's server, nothing reserved, as JSON. */
    public static JsonObject toJson(PriceSheet sheet) {
        ServerSnapshot s = sheet.server();
        JsonObject floors = new JsonObject();
        s.floorPrices().forEach((resource, price) -> floors.put(resource.name(), price.toPlainString()));
        JsonObject json = new JsonObject()
                .put("serverId", s.serverId())
                .put("providerId", s.providerId())
                .put("region", s.regionCode())
                .put("zone", s.zone().getId())
                .put("vcpus", s.capacity().vcpus())
                .put("memoryMib", s.capacity().memoryMib())
                .put("diskGib", s.capacity().diskGib())
                .put("floors", floors);
        if (s.site() != null) {
            json.put("latitude", s.site().lat()).put("longitude", s.site().lon());
        }
        return json;
    }

    /** The server a stored sheet priced, with {@code reserved} reserved. */
    public static ServerSnapshot fromJson(JsonObject json, ResourceVector reserved) {
        Map<Resource, BigDecimal> floors = new EnumMap<>(Resource.class);
        JsonObject stored = json.getJsonObject("floors", new JsonObject());
        for (String resource : stored.fieldNames()) {
            floors.put(Resource.valueOf(resource), new BigDecimal(stored.getString(resource)));
        }
        GeoPoint site = json.containsKey("latitude")
                ? new GeoPoint(json.getDouble("latitude"), json.getDouble("longitude")) : null;
        return new ServerSnapshot(json.getString("serverId"), json.getString("providerId"), json.getString("region"),
                ZoneId.of(json.getString("zone")), new ResourceVector(json.getInteger("vcpus"),
                        json.getLong("memoryMib"), json.getLong("diskGib")), reserved, floors, site);
    }
}
