package org.xenomarket.pricing;

import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;
import org.xenomarket.pricing.rules.AcceleratorRate;
import org.xenomarket.pricing.rules.PolicyFacts;
import org.xenomarket.pricing.rules.PriceLine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One compiled pricing policy. {@link #compile} builds the rule base once (executable model); each
 * {@link #priceSheet} runs the rules in a fresh, pooled session and turns their {@link PriceLine}s into an
 * immutable {@link PriceSheet}. Thread-safe: swapping policy versions is one reference write of an engine.
 */
public final class PricingEngine {

    /** Drools keeps every built module in a global repository; a unique id per build keeps them apart. */
    private static final AtomicLong BUILDS = new AtomicLong();
    private static final String DRL_FOLDER = "src/main/resources/org/xenomarket/pricing/rules/";

    private final PricingPolicy policy;
    private final KieBase kieBase;
    private final KieSessionsPool sessions;
    private final List<Object> tableFacts;
    private final List<RuleDescription> rules;
    /** The request terms last arranged; a cache, so a race only costs arranging them again. */
    private volatile SharedTerms sharedTerms;

    private PricingEngine(PricingPolicy policy, KieBase kieBase) {
        this.policy = policy;
        this.kieBase = kieBase;
        this.sessions = kieBase.newKieSessionsPool(Runtime.getRuntime().availableProcessors());
        this.tableFacts = PolicyFacts.ofTables(policy.tables());
        this.rules = describe(kieBase);
    }

    /**
     * Compiles the policy's DRL. Compile once per policy version and keep the engine.
     *
     * @throws PolicyCompilationException with the compiler's messages (file, line, column) if the DRL is bad
     */
    public static PricingEngine compile(PricingPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        KieServices ks = KieServices.Factory.get();
        ReleaseId releaseId = ks.newReleaseId("org.xenomarket.policy", "pricing-policy",
                "1.0." + BUILDS.incrementAndGet());
        KieFileSystem files = ks.newKieFileSystem();
        files.generateAndWritePomXML(releaseId);
        policy.drlSources().forEach((name, text) -> files.write(DRL_FOLDER + drlFileName(name), text));
        KieBuilder builder = ks.newKieBuilder(files).buildAll(ExecutableModelProject.class);
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            throw new PolicyCompilationException(policy.version(), errors.stream().map(PricingEngine::problem).toList());
        }
        KieContainer container = ks.newKieContainer(releaseId);
        KieBase kieBase = container.getKieBase();
        // the KieBase stays usable; the repository entry would only pile up across policy versions
        ks.getRepository().removeKieModule(releaseId);
        return new PricingEngine(policy, kieBase);
    }

    private static String drlFileName(String name) {
        return name.endsWith(".drl") ? name : name + ".drl";
    }

    private static PolicyCompilationException.Problem problem(Message m) {
        String path = m.getPath() == null ? "?" : m.getPath();
        // Drools reports the path inside the generated project; the policy knows the file by its own name
        String source = path.substring(path.lastIndexOf('/') + 1);
        // Drools counts columns from 0; editors and the Problem record count from 1 (0 = unknown)
        int column = m.getLine() > 0 && m.getColumn() >= 0 ? m.getColumn() + 1 : 0;
        return new PolicyCompilationException.Problem(source, Math.max(m.getLine(), 0), column, m.getText());
    }

    private static List<RuleDescription> describe(KieBase kieBase) {
        List<RuleDescription> out = new ArrayList<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            for (Rule rule : pkg.getRules()) {
                Object description = rule.getMetaData().get("description");
                out.add(new RuleDescription(rule.getName(), description == null ? "" : unquote(description.toString())));
            }
        }
        out.sort(Comparator.comparing(RuleDescription::name));
        return List.copyOf(out);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Runs the rules for one server and returns its price sheet. */
    public PriceSheet priceSheet(ServerSnapshot server, Instant asOf) {
        return priceSheets(List.of(server), asOf).get(server.serverId());
    }

    /**
     * Runs the rules for many servers in one session (cheaper than one session each, e.g. after a policy
     * change) and returns their sheets by server id, in the order given.
     */
    public Map<String, PriceSheet> priceSheets(Collection<ServerSnapshot> servers, Instant asOf) {
        Objects.requireNonNull(asOf, "asOf");
        Map<String, ServerSnapshot> byId = new LinkedHashMap<>();
        for (ServerSnapshot s : servers) {
            if (byId.put(s.serverId(), s) != null) {
                throw new IllegalArgumentException("server " + s.serverId() + " given twice");
            }
        }
        List<PriceLine> everyServer = new ArrayList<>();
        List<PriceLine> requestTerms = new ArrayList<>();
        Map<String, List<PriceLine>> perRegion = new HashMap<>();
        Map<String, List<PriceLine>> perServer = new HashMap<>();
        Map<String, AcceleratorRate> acceleratorRates = new HashMap<>();
        KieSession session = sessions.newKieSession();
        try {
            tableFacts.forEach(session::insert);
            PolicyFacts.ofRegions(byId.values()).forEach(session::insert);
            byId.values().forEach(s -> PolicyFacts.ofServer(s).forEach(session::insert));
            session.fireAllRules();
            for (Object fact : session.getObjects(o -> o instanceof AcceleratorRate)) {
                AcceleratorRate rate = (AcceleratorRate) fact;
                if (acceleratorRates.put(rate.getModel(), rate) != null) {
                    throw new PriceSheetException("accelerator model " + rate.getModel() + " priced twice by the rules");
                }
            }
            for (Object fact : session.getObjects(o -> o instanceof PriceLine)) {
                PriceLine line = (PriceLine) fact;
                if (RequestTerms.isRequestTerm(line)) {
                    requestTerms.add(line);
                } else if (line.getServerId() != null) {
                    perServer.computeIfAbsent(line.getServerId(), k -> new ArrayList<>()).add(line);
                } else if (line.getRegionCode() != null) {
                    perRegion.computeIfAbsent(line.getRegionCode(), k -> new ArrayList<>()).add(line);
                } else {
                    everyServer.add(line);
                }
            }
        } finally {
            session.dispose();
        }
        EnumMap<Resource, RequestTerms> terms = requestTerms(requestTerms);
        Map<String, PriceSheet> sheets = new LinkedHashMap<>();
        Map<List<PriceLine>, ResourcePricing> reuse = new HashMap<>();
        for (ServerSnapshot s : byId.values()) {
            List<PriceLine> lines = new ArrayList<>(everyServer);
            lines.addAll(perRegion.getOrDefault(s.regionCode(), List.of()));
            lines.addAll(perServer.getOrDefault(s.serverId(), List.of()));
            sheets.put(s.serverId(), PriceSheet.assemble(policy, s, asOf, lines, terms, reuse)
                    .withAcceleratorRates(acceleratorRates));
        }
        return java.util.Collections.unmodifiableMap(sheets);
    }

    /**
     * The request terms of a rules run, arranged. The rules give the same terms on every run of a policy,
     * so the last arrangement is reused when the lines are equal: one server's sheet then costs only its
     * own few lines.
     */
    private EnumMap<Resource, RequestTerms> requestTerms(List<PriceLine> lines) {
        lines.sort(RequestTerms.LINE_ORDER.thenComparing(l -> l.getValue().toPlainString()));
        SharedTerms last = sharedTerms;
        if (last != null && last.lines().equals(lines)) {
            return last.terms();
        }
        EnumMap<Resource, RequestTerms> terms = RequestTerms.byResource(lines);
        sharedTerms = new SharedTerms(List.copyOf(lines), terms);
        return terms;
    }

    private record SharedTerms(List<PriceLine> lines, EnumMap<Resource, RequestTerms> terms) {
    }

    public String policyVersion() {
        return policy.version();
    }

    public PricingPolicy policy() {
        return policy;
    }

    /** The rules of this policy with their descriptions, by name. */
    public List<RuleDescription> rules() {
        return rules;
    }
}
