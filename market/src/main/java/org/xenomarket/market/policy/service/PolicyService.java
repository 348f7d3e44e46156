package org.xenomarket.market.policy.service;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.policy.GoldenQuotesDiffer;
import org.xenomarket.market.policy.PolicyDiff;
import org.xenomarket.market.policy.PolicyDraft;
import org.xenomarket.market.policy.PolicyNotCompiled;
import org.xenomarket.market.policy.PolicyState;
import org.xenomarket.market.policy.PolicyVersion;
import org.xenomarket.market.policy.repository.PolicyRepository;
import org.xenomarket.market.pricing.OffEventLoop;
import org.xenomarket.market.pricing.PricingService;
import org.xenomarket.market.problem.Conflict;
import org.xenomarket.market.problem.InvalidInput;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.problem.NotPermitted;
import org.xenomarket.market.security.Actor;
import org.xenomarket.market.security.Role;
import org.xenomarket.pricing.GoldenQuotes;
import org.xenomarket.pricing.PolicyCompilationException;
import org.xenomarket.pricing.PolicyTableException;
import org.xenomarket.pricing.PolicyTables;
import org.xenomarket.pricing.PricingEngine;
import org.xenomarket.pricing.PricingPolicy;
import org.xenomarket.pricing.RuleDescription;

/**
 * Versions of the pricing policy: drafts are compiled before they are stored, activation runs the
 * golden quotes first and switches atomically, and every change goes to the audit log. Until a new
 * version is active, the previous one keeps serving.
 */
@ApplicationScoped
public class PolicyService implements org.xenomarket.market.pricing.VersionedEngines {

    private static final Logger LOG = Logger.getLogger(PolicyService.class);
    static final String AUDIT_TYPE = "pricing-policy";

    /** A stored version with its DRL sources and the rules they declare, as its compiled engine reads them. */
    public record Described(PolicyVersion version, Map<String, String> drlSources, List<RuleDescription> rules) {
    }

    /** The version to activate and the one active now (null on an empty market). */
    private record Switch(PolicyVersion target, PolicyVersion current) {
    }

    private final PolicyRepository policies;
    private final PricingService pricing;
    private final AuditLog audit;
    private final Clock clock;
    /** Compiled drafts by version, so previews do not recompile; versions never change once stored. */
    private final Map<String, PricingEngine> compiled = new ConcurrentHashMap<>();

    public PolicyService(PolicyRepository policies, PricingService pricing, AuditLog audit, Clock clock) {
        this.policies = policies;
        this.pricing = pricing;
        this.audit = audit;
        this.clock = clock;
    }

    /** The active version; on a new market, stores the built-in policy as the first active version. */
    public Uni<PricingPolicy> activeOrBuiltIn() {
        return Panache.withTransaction(() -> policies.findActive().chain(active -> {
            if (active != null) {
                return Uni.createFrom().item(active);
            }
            PricingPolicy builtIn = PricingPolicy.builtIn();
            PolicyVersion first = stored(builtIn, null, PolicyContent.builtInGoldenQuotes(), null,
                    "built-in policy of pricing-rules");
            first.state = PolicyState.ACTIVE;
            first.activatedAt = clock.instant();
            return policies.persist(first)
                    .call(v -> audit.record(Actor.MARKET, "policy.activated", AUDIT_TYPE, v.version,
                            null, v.version, "first start of the market: the built-in policy"));
        })).map(PolicyContent::toPolicy);
    }

    @WithSession
    public Uni<List<PolicyVersion>> list() {
        return policies.listNewestFirst();
    }

    @WithSession
    public Uni<PolicyVersion> get(String version) {
        return policies.findById(version).onItem().ifNull().failWith(() -> new NotFound("policy version", version));
    }

    /**
     * One version as a caller sees it: a draft is the business of operators and finance only (its
     * rules are not yet anyone's prices); to anyone else it does not exist.
     */
    public Uni<PolicyVersion> get(String version, boolean seesDrafts) {
        return get(version).invoke(stored -> {
            if (!seesDrafts && stored.state == PolicyState.DRAFT) {
                throw new NotFound("policy version", version);
            }
        });
    }

    /** One version with its rules, compiling it off the event loop unless it is active or compiled already. */
    public Uni<Described> describe(String version, boolean seesDrafts) {
        return get(version, seesDrafts).chain(stored -> engineOf(stored)
                .map(engine -> new Described(stored, engine.policy().drlSources(), engine.rules())));
    }

    @Override
    public Uni<PricingEngine> engineOfVersion(String version) {
        return get(version).chain(this::engineOf);
    }

    /** The compiled engine of a stored version (the active one, or compiled now off the event loop). */
    public Uni<PricingEngine> engineOf(PolicyVersion stored) {
        PricingEngine active = pricing.activeEngine();
        if (active.policyVersion().equals(stored.version)) {
            return Uni.createFrom().item(active);
        }
        PricingEngine cached = compiled.get(stored.version);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return OffEventLoop.compute(() -> compile(PolicyContent.toPolicy(stored)))
                .invoke(engine -> compiled.put(stored.version, engine));
    }

    /** Compiles and stores a draft; refuses DRL that does not compile and tables that break their schema. */
    public Uni<PolicyVersion> createDraft(Actor author, PolicyDraft request) {
        return Panache.withSession(() -> policies.findById(request.version())
                        .invoke(existing -> {
                            if (existing != null) {
                                throw new Conflict("version", "version " + request.version() + " exists");
                            }
                        })
                        .chain(() -> request.basedOn() == null ? policies.findActive()
                                : policies.findById(request.basedOn())
                                        .onItem().ifNull().failWith(() -> new InvalidInput("basedOn",
                                                "no policy version " + request.basedOn()))))
                .chain(base -> {
                    Map<String, String> sources = request.drlSources() == null
                            ? PolicyContent.drlSources(base) : request.drlSources();
                    if (!sources.equals(PolicyContent.drlSources(base)) && !author.is(Role.OPERATOR)) {
                        throw new NotPermitted("Only operators may change the DRL of the pricing policy; finance "
                                + "changes its tables.");
                    }
                    PolicyTables tables = request.tablesJson() == null
                            ? PolicyTables.fromJson(base.tables) : tablesOf(request.tablesJson());
                    requireAccountKeyedCommitments(tables, PolicyTables.fromJson(base.tables));
                    String golden = request.goldenQuotesJson() == null ? base.goldenQuotes : request.goldenQuotesJson();
                    checkGoldenQuotes(golden);
                    PricingPolicy policy = new PricingPolicy(request.version(), sources, tables);
                    return OffEventLoop.compute(() -> compile(policy))
                            .chain(engine -> {
                                PolicyVersion draft = stored(policy, base.version, golden, author, request.note());
                                return Panache.withTransaction(() -> policies.persist(draft)
                                        .call(v -> audit.record(author, "policy.drafted", AUDIT_TYPE, v.version,
                                                null, v.checksum, "based on " + base.version)))
                                        .invoke(v -> compiled.put(v.version, engine));
                            });
                });
    }

    /**
     * Activates a stored version once it reproduces its golden quotes: the database switch is one
     * transaction (a unique index admits one active version), then the engine reference is swapped.
     */
    public Uni<PolicyVersion> activate(Actor actor, String version) {
        return Panache.withSession(() -> policies.findById(version)
                        .onItem().ifNull().failWith(() -> new NotFound("policy version", version))
                        .chain(target -> policies.findActive().map(current -> new Switch(target, current))))
                .chain(change -> {
                    PolicyVersion target = change.target();
                    PolicyVersion current = change.current();
                    if (target.state == PolicyState.ACTIVE) {
                        throw new Conflict(null, "version " + version + " is already active");
                    }
                    if (current != null && !PolicyContent.drlSources(target).equals(PolicyContent.drlSources(current))
                            && !actor.is(Role.OPERATOR)) {
                        throw new NotPermitted("This version changes the DRL; only operators may activate it.");
                    }
                    return engineOf(target)
                            .chain(engine -> OffEventLoop.compute(() -> PolicyContent.goldenQuotes(target).verify(engine))
                                    .invoke(mismatches -> {
                                        if (!mismatches.isEmpty()) {
                                            throw new GoldenQuotesDiffer(version, mismatches);
                                        }
                                    })
                                    .chain(ok -> switchActive(actor, target.version, current == null ? null : current.version))
                                    .call(switched -> OffEventLoop.compute(() -> {
                                        pricing.activate(engine, switched.activatedAt);
                                        return switched;
                                    })));
                });
    }

    /** A unified diff of tables and DRL from one version to another. */
    @WithSession
    public Uni<PolicyDiff> diff(String version, String against, boolean seesDrafts) {
        Uni<PolicyVersion> from = against == null
                ? policies.findActive()
                : policies.findById(against).onItem().transform(v -> v == null || !seesDrafts && v.state == PolicyState.DRAFT
                        ? null : v).onItem().ifNull().failWith(() -> new InvalidInput("against",
                        "no policy version " + against));
        return from.chain(base -> get(version, seesDrafts).map(target -> {
            List<String> tables = unified(PolicyContent.pretty(base.tables), PolicyContent.pretty(target.tables),
                    "tables@" + base.version, "tables@" + target.version);
            Map<String, String> before = PolicyContent.drlSources(base);
            Map<String, String> after = PolicyContent.drlSources(target);
            Map<String, List<String>> drl = new TreeMap<>();
            Set<String> names = new TreeSet<>(before.keySet());
            names.addAll(after.keySet());
            for (String name : names) {
                List<String> lines = unified(before.getOrDefault(name, ""), after.getOrDefault(name, ""),
                        name + "@" + base.version, name + "@" + target.version);
                if (!lines.isEmpty()) {
                    drl.put(name, lines);
                }
            }
            return new PolicyDiff(base.version, target.version, tables, drl);
        }));
    }

    private Uni<PolicyVersion> switchActive(Actor actor, String version, String previous) {
        return Panache.withTransaction(() -> policies.retireActive(clock.instant())
                // The database's clock stamps the switch, so that every instance orders activations
                // alike (PricingService ignores an activation older than the one it applied).
                .chain(() -> policies.activate(version))
                .chain(() -> audit.record(actor, "policy.activated", AUDIT_TYPE, version, previous, version,
                        "golden quotes reproduced"))
                .chain(() -> policies.findById(version)))
                .invoke(v -> LOG.infof("Policy %s activated by %s (was %s)", version, actor.role(), previous));
    }

    private PolicyVersion stored(PricingPolicy policy, String basedOn, String goldenQuotes, Actor author,
                                 String note) {
        PolicyVersion v = new PolicyVersion();
        v.version = policy.version();
        v.state = PolicyState.DRAFT;
        v.basedOn = basedOn;
        v.drlSources = PolicyContent.drlSourcesJson(policy.drlSources());
        v.tables = policy.tables().toJson();
        v.goldenQuotes = goldenQuotes;
        v.checksum = policy.checksum();
        v.authorId = author == null ? null : author.accountId();
        v.note = note;
        v.createdAt = clock.instant();
        return v;
    }

    private static PricingEngine compile(PricingPolicy policy) {
        try {
            return PricingEngine.compile(policy);
        } catch (PolicyCompilationException e) {
            throw new PolicyNotCompiled(policy.version(), e);
        }
    }

    private static PolicyTables tablesOf(String json) {
        try {
            return PolicyTables.fromJson(json);
        } catch (PolicyTableException e) {
            String problem = e.getMessage().startsWith(e.field() + " ")
                    ? e.getMessage().substring(e.field().length() + 1) : e.getMessage();
            throw new InvalidInput("tables." + e.field(), problem);
        }
    }

    /**
     * Sponsor commitments are looked up by the id of the sponsor's account, the one thing the market
     * passes with every quote and bid: a commitment keyed by anything else would never fire. Keys the
     * base version already had are kept as they are, so versions from before this rule stay editable.
     */
    private static void requireAccountKeyedCommitments(PolicyTables tables, PolicyTables base) {
        for (String sponsor : new TreeSet<>(tables.sponsorCommitments().keySet())) {
            if (base.sponsorCommitments().containsKey(sponsor)) {
                continue;
            }
            if (!isCanonicalUuid(sponsor)) {
                throw new InvalidInput("tables.sponsorCommitments." + sponsor, "must be a sponsor's account id "
                        + "(a UUID in lower case), the key quotes and bids are priced by");
            }
        }
    }

    /** As the market writes account ids: lower case, hyphenated; any other spelling would never match. */
    private static boolean isCanonicalUuid(String text) {
        try {
            return UUID.fromString(text).toString().equals(text);
        } catch (IllegalArgumentException notAnId) {
            return false;
        }
    }

    private static void checkGoldenQuotes(String json) {
        try {
            GoldenQuotes.fromJson(json);
        } catch (RuntimeException e) {
            throw new InvalidInput("goldenQuotes", Objects.requireNonNullElse(e.getMessage(), "cannot be read"));
        }
    }

    private static List<String> unified(String before, String after, String fromName, String toName) {
        List<String> original = Arrays.asList(before.split("\n", -1));
        List<String> revised = Arrays.asList(after.split("\n", -1));
        return UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, original, DiffUtils.diff(original, revised), 3);
    }
}
