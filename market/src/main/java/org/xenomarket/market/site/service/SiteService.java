package org.xenomarket.market.site.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.site.NewSite;
import org.xenomarket.market.site.Region;
import org.xenomarket.market.site.Site;
import org.xenomarket.market.site.repository.RegionRepository;
import org.xenomarket.market.site.repository.SiteRepository;

/** Regions and sites: where servers can stand. */
@ApplicationScoped
public class SiteService {

    private static final Logger LOG = Logger.getLogger(SiteService.class);

    private final RegionRepository regions;
    private final SiteRepository sites;
    private final AuditLog audit;

    public SiteService(RegionRepository regions, SiteRepository sites, AuditLog audit) {
        this.regions = regions;
        this.sites = sites;
        this.audit = audit;
    }

    @WithSession
    public Uni<List<Region>> regions() {
        return regions.listAllByCode();
    }

    @WithSession
    public Uni<List<Site>> sites(String regionCode) {
        return regionCode == null ? sites.listAllByCode() : sites.listInRegion(regionCode);
    }

    /** Adds a site; audited as {@code site.created} with who added it. */
    @WithTransaction
    public Uni<Site> create(Actor actor, NewSite request) {
        ZoneId zone = zoneOf(request.timeZone());
        return regions.findById(request.regionCode())
                .onItem().ifNull().failWith(() -> new InvalidInput("region",
                        "unknown region '" + request.regionCode() + "'"))
                .chain(region -> sites.findByCode(request.code()))
                .chain(existing -> {
                    if (existing != null) {
                        throw new Conflict("code", "a site with code '" + request.code() + "' exists");
                    }
                    Site site = new Site();
                    site.id = TimeOrderedId.next();
                    site.code = request.code();
                    site.regionCode = request.regionCode();
                    site.city = request.city();
                    site.country = request.country();
                    site.latitude = request.latitude();
                    site.longitude = request.longitude();
                    site.timeZone = zone.getId();
                    LOG.infof("Site %s created in %s", site.code, site.regionCode);
                    return sites.persist(site).call(saved -> audit.record(actor, "site.created", "site",
                            saved.id.toString(), null, saved.code + " in " + saved.regionCode + " at " + saved.latitude
                                    + ", " + saved.longitude, saved.city + ", " + saved.country));
                });
    }

    private static ZoneId zoneOf(String timeZone) {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new InvalidInput("timeZone", "unknown time zone '" + timeZone + "'");
        }
    }
}
