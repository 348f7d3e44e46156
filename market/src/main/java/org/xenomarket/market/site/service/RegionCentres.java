package org.xenomarket.market.site.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.xenomarket.market.placement.ClientPlaceWish;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.Problem;
import org.xenomarket.market.site.Site;
import org.xenomarket.market.site.repository.RegionRepository;
import org.xenomarket.market.site.repository.SiteRepository;
import org.xenomarket.pricing.ClientPlace;
import org.xenomarket.pricing.GeoPoint;

/**
 * Resolves client places given as regions to points: the centre of the region's sites (the mean of their
 * positions on the sphere), where its clients are on average as far as the market can tell. A place gives
 * a point or a region, not both; an unknown region, or one without sites yet, is refused naming its field.
 */
@ApplicationScoped
public class RegionCentres {

    private final RegionRepository regions;
    private final SiteRepository sites;

    public RegionCentres(RegionRepository regions, SiteRepository sites) {
        this.regions = regions;
        this.sites = sites;
    }

    /** The places as points, in the order given; a refusal names every place at fault. */
    public Uni<List<ClientPlace>> resolve(List<ClientPlaceWish> wishes) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ClientPlaceWish w : wishes) {
            if (w.byRegion() && (w.lat() != null || w.lon() != null)) {
                errors.add(new Problem.FieldError(w.field("region"), "give a point (lat, lon) or a region, not both"));
            } else if (!w.byRegion() && w.lat() == null) {
                errors.add(new Problem.FieldError(w.field("lat"), "give a point (lat, lon) or a region"));
            } else if (!w.byRegion() && w.lon() == null) {
                errors.add(new Problem.FieldError(w.field("lon"), "a point needs lon as well as lat"));
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new InvalidInput(errors));
        }
        Set<String> named = wishes.stream().filter(ClientPlaceWish::byRegion).map(ClientPlaceWish::region)
                .collect(Collectors.toSet());
        if (named.isEmpty()) {
            return Uni.createFrom().item(wishes.stream().map(w -> ClientPlace.of(w.lat(), w.lon(), w.egressGb())).toList());
        }
        return Panache.withSession(() -> regions.listAllByCode().chain(known -> sites.listAllByCode().map(all -> {
            Set<String> codes = known.stream().map(r -> r.code).collect(Collectors.toSet());
            Map<String, GeoPoint> centres = new HashMap<>();
            for (String code : named) {
                List<Site> there = all.stream().filter(s -> s.regionCode.equals(code)).toList();
                if (!there.isEmpty()) {
                    centres.put(code, centre(there));
                }
            }
            List<ClientPlace> out = new ArrayList<>();
            for (ClientPlaceWish w : wishes) {
                if (!w.byRegion()) {
                    out.add(ClientPlace.of(w.lat(), w.lon(), w.egressGb()));
                } else if (!codes.contains(w.region())) {
                    errors.add(new Problem.FieldError(w.field("region"), "unknown region " + w.region() + "; known: "
                            + String.join(", ", codes.stream().sorted().toList())));
                } else if (!centres.containsKey(w.region())) {
                    errors.add(new Problem.FieldError(w.field("region"), "region " + w.region()
                            + " has no sites yet, so it has no centre; give a point"));
                } else {
                    GeoPoint c = centres.get(w.region());
                    out.add(ClientPlace.of(c.lat(), c.lon(), w.egressGb()));
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidInput(errors);
            }
            return out;
        })));
    }

    /** The mean of the sites' positions as unit vectors, back as latitude and longitude. */
    static GeoPoint centre(List<Site> sites) {
        double x = 0;
        double y = 0;
        double z = 0;
        for (Site s : sites) {
            double lat = Math.toRadians(s.latitude);
            double lon = Math.toRadians(s.longitude);
            x += Math.cos(lat) * Math.cos(lon);
            y += Math.cos(lat) * Math.sin(lon);
            z += Math.sin(lat);
        }
        double lon = Math.toDegrees(Math.atan2(y, x));
        double lat = Math.toDegrees(Math.atan2(z, Math.hypot(x, y)));
        return new GeoPoint(Math.max(-90, Math.min(90, lat)), Math.max(-180, Math.min(180, lon)));
    }
}
