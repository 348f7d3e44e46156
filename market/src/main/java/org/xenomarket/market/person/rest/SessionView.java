package org.xenomarket.market.person.rest;

import java.time.Instant;
import java.util.UUID;
import org.xenomarket.market.person.Person;
import org.xenomarket.market.security.Role;

/** A session: the bearer token (only in the answer to signing in), until when it is good, and who holds it. */
public record SessionView(String token, Instant expiresAt, PersonView person) {

    /** The person behind a session, as they see themselves. */
    public record PersonView(UUID id, String email, String displayName, Role role, UUID accountId) {

        static PersonView of(Person person) {
            return new PersonView(person.id, person.email, person.displayName, person.role, person.accountId);
        }
    }
}
