package org.xenomarket.market.server.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.capacity.rest.AcceleratorsJson;
import org.xenomarket.market.capacity.rest.ResourcesJson;
import org.xenomarket.market.money.MoneyJson;
import org.xenomarket.market.reliability.rest.ReliabilityJson;
import org.xenomarket.market.site.rest.SiteView;

/**
 * Writes a {@link NearbyServerView} field by field: a nearby search answers 200 of them, and Jackson's
 * generic record serializer (an accessor called by reflection per field of each nested record) was a fifth of
 * the search's CPU samples. The JSON is the one that serializer wrote, field for field and in the same order
 * ({@code NearbyServerJsonTest} holds the two together), so a field added to the view must be added here.
 */
public final class NearbyServerJson extends JsonSerializer<NearbyServerView> {

    @Override
    public void serialize(NearbyServerView v, JsonGenerator g, SerializerProvider provider) throws IOException {
        g.writeStartObject();
        uuid(g, "id", v.id());
        g.writeStringField("name", v.name());
        site(g, v.site());
        g.writeNumberField("distanceKm", v.distanceKm());
        resources(g, "free", v.free());
        g.writeBooleanField("fits", v.fits());
        money(g, "pricePerHour", v.pricePerHour());
        money(g, "total", v.total());
        g.writeStringField("policyVersion", v.policyVersion());
        reliability(g, v.reliability());
        uuid(g, "providerId", v.providerId());
        g.writeNumberField("providerReliability", v.providerReliability());
        accelerators(g, v.accelerators());
        g.writeEndObject();
    }

    private static void uuid(JsonGenerator g, String name, UUID id) throws IOException {
        if (id == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, id.toString());
        }
    }

    private static void site(JsonGenerator g, SiteView s) throws IOException {
        if (s == null) {
            g.writeNullField("site");
            return;
        }
        g.writeObjectFieldStart("site");
        uuid(g, "id", s.id());
        g.writeStringField("code", s.code());
        g.writeStringField("region", s.region());
        g.writeStringField("city", s.city());
        g.writeStringField("country", s.country());
        g.writeNumberField("latitude", s.latitude());
        g.writeNumberField("longitude", s.longitude());
        g.writeStringField("timeZone", s.timeZone());
        g.writeEndObject();
    }

    private static void resources(JsonGenerator g, String name, ResourcesJson r) throws IOException {
        if (r == null) {
            g.writeNullField(name);
            return;
        }
        g.writeObjectFieldStart(name);
        if (r.vcpus() == null) {
            g.writeNullField("vcpus");
        } else {
            g.writeNumberField("vcpus", r.vcpus());
        }
        if (r.memoryMib() == null) {
            g.writeNullField("memoryMib");
        } else {
            g.writeNumberField("memoryMib", r.memoryMib());
        }
        if (r.diskGib() == null) {
            g.writeNullField("diskGib");
        } else {
            g.writeNumberField("diskGib", r.diskGib());
        }
        g.writeEndObject();
    }

    private static void money(JsonGenerator g, String name, MoneyJson m) throws IOException {
        if (m == null) {
            g.writeNullField(name);
            return;
        }
        g.writeObjectFieldStart(name);
        g.writeStringField("amount", m.amount());
        g.writeStringField("currency", m.currency());
        g.writeEndObject();
    }

    private static void reliability(JsonGenerator g, ReliabilityJson r) throws IOException {
        if (r == null) {
            g.writeNullField("reliability");
            return;
        }
        g.writeObjectFieldStart("reliability");
        g.writeNumberField("score", r.score());
        g.writeNumberField("uptime", r.uptime());
        g.writeNumberField("leaseSuccess", r.leaseSuccess());
        g.writeNumberField("endedLeases", r.endedLeases());
        g.writeNumberField("failedLeases", r.failedLeases());
        g.writeNumberField("windowDays", r.windowDays());
        g.writeEndObject();
    }

    private static void accelerators(JsonGenerator g, List<AcceleratorsJson.OfModel> list) throws IOException {
        if (list == null) {
            g.writeNullField("accelerators");
            return;
        }
        g.writeArrayFieldStart("accelerators");
        for (AcceleratorsJson.OfModel m : list) {
            if (m == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject();
            g.writeStringField("model", m.model());
            g.writeNumberField("count", m.count());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
