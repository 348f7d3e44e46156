package org.xenomarket.market.person;

import java.time.Duration;
import java.time.Instant;
import org.xenomarket.market.problem.InvalidInput;

/**
 * How long a program's token is good: the market's default unless the issuer asks for fewer or more
 * days, never more than the market's maximum, so a leaked token stops working by itself.
 */
public record TokenLifetimes(Duration byDefault, Duration maximum) {

    /** When a token issued at {@code now} expires, for {@code days} asked for (null: the default). */
    public Instant expiry(Instant now, Integer days) {
        if (days == null) {
            return now.plus(byDefault);
        }
        if (days < 1 || Duration.ofDays(days).compareTo(maximum) > 0) {
            throw new InvalidInput("expiresInDays", "must be a whole number of days from 1 to " + maximum.toDays());
        }
        return now.plus(Duration.ofDays(days));
    }

    /**
     * When a rotated token's successor expires: as many days as asked, else the lifetime the old token
     * was given (so a 30-day token rotates into a 30-day token), within the maximum.
     */
    public Instant successorExpiry(Instant now, Integer days, Instant oldCreatedAt, Instant oldExpiresAt) {
        if (days != null || oldExpiresAt == null) {
            return expiry(now, days);
        }
        Duration lifetime = Duration.between(oldCreatedAt, oldExpiresAt);
        return now.plus(lifetime.compareTo(maximum) > 0 ? maximum : lifetime);
    }
}
