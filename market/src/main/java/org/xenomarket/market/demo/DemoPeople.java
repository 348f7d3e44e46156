package org.xenomarket.market.demo;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xenomarket.market.account.repository.AccountRepository;
import org.xenomarket.market.database.DatabaseBootstrap;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.person.Person;
import org.xenomarket.market.person.repository.PersonRepository;
import org.xenomarket.market.person.service.Passwords;
import org.xenomarket.market.security.Role;

/**
 * One person per role for the demo's accounts, so the portal can be tried at once: only where the
 * demo is enabled, after {@link DemoData} made the accounts. Their password is public on purpose.
 */
@ApplicationScoped
public class DemoPeople {

    private static final Logger LOG = Logger.getLogger(DemoPeople.class);

    /** The demo's one password, printed at start and in the README. */
    public static final String PASSWORD = "xenomarket-demo";

    /** A demo sign-in: email, the demo account it acts for, its role. */
    public record DemoPerson(String email, String displayName, String account, Role role) {
    }

    public static final List<DemoPerson> PEOPLE = List.of(
            new DemoPerson("sponsor@acme.example", "Sam Sponsor", "Acme Sensors", Role.SPONSOR),
            new DemoPerson("provider@fenland.example", "Pat Provider", "Fenland Compute", Role.PROVIDER),
            new DemoPerson("finance@xenomarket.example", "Fran Finance", "XenoMarket Finance", Role.FINANCE),
            new DemoPerson("operator@xenomarket.example", "Olu Operator", "XenoMarket Operations", Role.OPERATOR));

    private final boolean enabled;
    private final AccountRepository accounts;
    private final PersonRepository people;
    private final Clock clock;

    public DemoPeople(@ConfigProperty(name = "xenomarket.demo.enabled", defaultValue = "false") boolean enabled,
                      AccountRepository accounts, PersonRepository people, Clock clock) {
        this.enabled = enabled;
        this.accounts = accounts;
        this.people = people;
        this.clock = clock;
    }

    void onStart(@Observes @Priority(DatabaseBootstrap.PRIORITY + 20) StartupEvent event) throws Throwable {
        if (!enabled) {
            return;
        }
        int created = VertxContextSupport.subscribeAndAwait(this::seed);
        LOG.infof("Demo people: %d created", created);
        StringBuilder text = new StringBuilder(" Demo sign-ins for the portal (password '" + PASSWORD + "'):\n");
        for (DemoPerson person : PEOPLE) {
            text.append(String.format("   %-9s %s%n", person.role().label(), person.email()));
        }
        System.out.println(text);
    }

    private Uni<Integer> seed() {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (DemoPerson person : PEOPLE) {
            chain = chain.chain(n -> ensure(person).map(added -> n + added));
        }
        return chain;
    }

    private Uni<Integer> ensure(DemoPerson demo) {
        return Panache.withSession(() -> people.findByEmail(demo.email())
                .chain(existing -> existing != null ? Uni.createFrom().nullItem() : accounts.findByName(demo.account())))
                .chain(account -> account == null ? Uni.createFrom().item(0) : Passwords.hash(PASSWORD)
                        .chain(hash -> {
                            Person person = new Person();
                            person.id = TimeOrderedId.next();
                            person.accountId = account.id;
                            person.email = demo.email();
                            person.displayName = demo.displayName();
                            person.role = demo.role();
                            person.passwordHash = hash;
                            person.createdAt = clock.instant();
                            return Panache.withTransaction(() -> people.persist(person)).replaceWith(1);
                        }));
    }
}
