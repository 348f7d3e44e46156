package org.xenomarket.market.person.service;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import org.xenomarket.market.pricing.OffEventLoop;

/**
 * Password hashing with bcrypt (WildFly Elytron through Quarkus' {@code BcryptUtil}). bcrypt is slow
 * on purpose, tens of milliseconds, so it always runs off the event loop.
 */
public final class Passwords {

    /** bcrypt's cost: 2^12 rounds, about 0.2 s on one of this project's cores. */
    static final int COST = 12;

    /**
     * A hash of a password nobody has, checked when an email is unknown so that the answer takes as
     * long as for a known email with a wrong password (no telling which emails exist by timing).
     */
    private static final class Decoy {
        // A holder class: made on first use, which is on a worker thread, not while the class loads.
        static final String HASH = BcryptUtil.bcryptHash("no one's password " + System.nanoTime(), COST);
    }

    private Passwords() {
    }

    /** The stored form of a new password. */
    public static Uni<String> hash(String password) {
        return OffEventLoop.compute(() -> BcryptUtil.bcryptHash(password, COST));
    }

    /** Whether the password matches the stored hash; a null hash checks against the decoy and fails. */
    public static Uni<Boolean> matches(String password, String storedHash) {
        return OffEventLoop.compute(() -> {
            boolean matched = BcryptUtil.matches(password, storedHash == null ? Decoy.HASH : storedHash);
            return storedHash != null && matched;
        });
    }
}
