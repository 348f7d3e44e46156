package org.xenomarket.market.usage.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.xenomarket.market.lease.repository.LeaseRepository;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.server.repository.ServerRepository;
import org.xenomarket.market.usage.repository.UsageRepository;

/** Reads metered usage per lease and hour: a sponsor's leases, a provider's servers. */
@ApplicationScoped
public class UsageReports {

    static final Duration MAX_RANGE = Duration.ofDays(92);
    static final Duration DEFAULT_RANGE = Duration.ofDays(1);

    private final UsageRepository usage;
    private final LeaseRepository leases;
    private final ServerRepository servers;
    private final Clock clock;

    public UsageReports(UsageRepository usage, LeaseRepository leases, ServerRepository servers, Clock clock) {
        this.usage = usage;
        this.leases = leases;
        this.servers = servers;
        this.clock = clock;
    }

    /** The hourly usage of a lease the account may see (its sponsor's, or on its provider's server). */
    @WithSession
    public Uni<List<UsageRepository.HourlyUsage>> ofLease(UUID accountId, UUID leaseId) {
        return leases.findVisibleTo(leaseId, accountId)
                .onItem().ifNull().failWith(() -> new NotFound("lease", leaseId))
                .chain(lease -> usage.hourlyOfLease(lease.id));
    }

    /**
     * The hourly usage on one of the provider's servers in [from, to): {@code to} is now when
     * null, {@code from} a day before {@code to}; at most 92 days.
     */
    @WithSession
    public Uni<List<UsageRepository.HourlyUsage>> ofServer(UUID providerId, UUID serverId, Instant from, Instant to) {
        Instant end = to == null ? clock.instant() : to;
        Instant start = from == null ? end.minus(DEFAULT_RANGE) : from;
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw new InvalidInput("from", "must be before 'to' and at most 92 days before it");
        }
        return servers.findById(serverId)
                .invoke(server -> {
                    if (server == null || !server.providerId.equals(providerId)) {
                        throw new NotFound("server", serverId);
                    }
                })
                .chain(server -> usage.hourlyOfServer(serverId, start, end));
    }
}
