package org.xenomarket.market.person.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.xenomarket.market.person.Person;

/** Stored people. */
@ApplicationScoped
public class PersonRepository implements PanacheRepositoryBase<Person, UUID> {

    /** The person with this email (already lower-cased), or null. */
    public Uni<Person> findByEmail(String email) {
        return find("email", email).firstResult();
    }
}
