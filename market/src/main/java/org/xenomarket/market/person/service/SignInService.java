package org.xenomarket.market.person.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xenomarket.market.audit.service.AuditLog;
import org.xenomarket.market.id.TimeOrderedId;
import org.xenomarket.market.person.Person;
import org.xenomarket.market.person.PersonSession;
import org.xenomarket.market.person.repository.PersonRepository;
import org.xenomarket.market.person.repository.PersonSessionRepository;
import org.xenomarket.market.problem.NotAuthenticated;
import org.xenomarket.market.problem.NotFound;
import org.xenomarket.market.security.ApiToken;
import org.xenomarket.market.security.TokenSecret;
import org.xenomarket.market.security.repository.ApiTokenRepository;
import org.xenomarket.market.security.Actor;

/** Signs people in with email and password, handing out a short-lived bearer token, and out again. */
@ApplicationScoped
public class SignInService {

    private static final Logger LOG = Logger.getLogger(SignInService.class);
    /** One answer for an unknown email and a wrong password, so the answer does not tell which. */
    private static final String REFUSED = "The email or the password is wrong.";

    /** A session and the token secret, which is shown once and stored only hashed. */
    public record SignedIn(Person person, PersonSession session, String token) {
    }

    private final PersonRepository people;
    private final PersonSessionRepository sessions;
    private final ApiTokenRepository tokens;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration lifetime;

    public SignInService(PersonRepository people, PersonSessionRepository sessions, ApiTokenRepository tokens,
                         AuditLog audit, Clock clock,
                         @ConfigProperty(name = "xenomarket.sessions.lifetime", defaultValue = "PT8H") Duration lifetime) {
        this.people = people;
        this.sessions = sessions;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /**
     * A new session for the person with this email and password; 401 for any wrong pair. A refusal is
     * audited ({@code person.sign-in-refused}: on the person when the email is someone's, else on the
     * email) with the request id, so operators see guessing; the answer stays the same either way.
     */
    public Uni<SignedIn> signIn(String email, String password, String requestId) {
        String normalised = email.trim().toLowerCase(Locale.ROOT);
        return Panache.withSession(() -> people.findByEmail(normalised))
                .chain(person -> Passwords.matches(password, person == null ? null : person.passwordHash)
                        .chain(matched -> {
                            if (!matched) {
                                LOG.infof("sign-in refused for %s", person == null ? "an unknown email" : person.id);
                                return refused(person, normalised, requestId)
                                        .chain(() -> Uni.createFrom().failure(new NotAuthenticated(REFUSED)));
                            }
                            return open(person, requestId);
                        }));
    }

    private Uni<Void> refused(Person person, String email, String requestId) {
        Actor anonymous = Actor.unauthenticated(person == null ? null : person.accountId, requestId);
        return Panache.withTransaction(() -> person == null
                ? audit.record(anonymous, "person.sign-in-refused", "email", email, null, null, "unknown email")
                : audit.record(anonymous, "person.sign-in-refused", "person", person.id.toString(), null, null,
                        "wrong password for " + person.email)).replaceWithVoid();
    }

    private Uni<SignedIn> open(Person person, String requestId) {
        Instant now = clock.instant();
        String secret = TokenSecret.generate();
        ApiToken token = new ApiToken();
        token.id = TimeOrderedId.next();
        token.accountId = person.accountId;
        token.role = person.role;
        token.tokenHash = TokenSecret.hash(secret);
        token.label = "session of " + person.email;
        token.createdAt = now;
        token.expiresAt = now.plus(lifetime);
        token.personId = person.id;
        PersonSession session = new PersonSession();
        session.tokenId = token.id;
        session.personId = person.id;
        session.createdAt = now;
        session.expiresAt = now.plus(lifetime);
        return Panache.withTransaction(() -> tokens.persist(token)
                        .chain(() -> sessions.persist(session))
                        .chain(() -> audit.record(new Actor(person.accountId, person.role.label(), token.id, requestId),
                                "person.sign-in", "person", person.id.toString(), null, null, person.email)))
                .replaceWith(new SignedIn(person, session, secret));
    }

    /** Ends the session whose token is {@code bearerToken}; 404 when that token is no session's. */
    public Uni<Void> signOut(Actor actor, String bearerToken) {
        byte[] hash = TokenSecret.hash(bearerToken);
        return Panache.withTransaction(() -> tokens.findActiveByHash(hash)
                .chain(token -> token == null ? Uni.createFrom().nullItem() : sessions.findById(token.id))
                .onItem().ifNull().failWith(() -> new NotFound("session", "current"))
                .call(session -> tokens.revoke(session.tokenId, clock.instant()))
                .call(session -> audit.record(actor, "person.sign-out", "person", session.personId.toString(),
                        null, null, "session token " + session.tokenId + " revoked")))
                .replaceWithVoid();
    }

    /** The person who holds the session of this bearer token; 404 when the token is no session's. */
    public Uni<Person> whoIs(String bearerToken) {
        byte[] hash = TokenSecret.hash(bearerToken);
        return Panache.withSession(() -> tokens.findActiveByHash(hash)
                .chain(token -> token == null ? Uni.createFrom().nullItem() : sessions.findById(token.id))
                .chain(session -> session == null ? Uni.createFrom().nullItem() : people.findById(session.personId))
                .onItem().ifNull().failWith(() -> new NotFound("session", "current")));
    }
}
