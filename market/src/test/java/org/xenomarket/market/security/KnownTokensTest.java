package org.xenomarket.market.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What the bearer filter may answer from memory, and when it must read the token again. */
class KnownTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");

    private final KnownTokens known = new KnownTokens(Duration.ofSeconds(60));
    private final AtomicBoolean connected = new AtomicBoolean(true);

    private static ApiToken token() {
        ApiToken token = new ApiToken();
        token.id = UUID.randomUUID();
        token.accountId = UUID.randomUUID();
        token.role = Role.SPONSOR;
        token.expiresAt = NOW.plusSeconds(3600);
        return token;
    }

    private static byte[] hash(ApiToken token) {
        return TokenSecret.hash("secret-of-" + token.id);
    }

    @Test
    void aTokenReadWhileChangesAreHeardIsFoundUntilItIsChanged() {
        known.listening(connected::get);
        ApiToken token = token();
        known.keep(hash(token), token, known.mark(), NOW);

        KnownTokens.Known found = known.find(hash(token), NOW.plusSeconds(1));
        assertEquals(token.id, found.id());
        assertEquals(token.accountId, found.accountId());
        assertEquals(Role.SPONSOR, found.role());

        known.changed(token.id);
        assertNull(known.find(hash(token), NOW.plusSeconds(1)), "a changed token is read again");
    }

    @Test
    void nothingIsKeptBeforeTheListenerSubscribes() {
        ApiToken token = token();
        known.keep(hash(token), token, known.mark(), NOW);
        known.listening(connected::get);
        assertNull(known.find(hash(token), NOW));
    }

    @Test
    void aLookupThatOverlappedAChangeNoticeKeepsNothing() {
        known.listening(connected::get);
        ApiToken token = token();
        long mark = known.mark();
        // Read from the database before the revocation committed; its notice is handled before the keep.
        known.changed(token.id);
        known.keep(hash(token), token, mark, NOW);
        assertNull(known.find(hash(token), NOW));

        // A notice of another token in between is enough: the filter cannot tell which token it read.
        long next = known.mark();
        known.changed(UUID.randomUUID());
        known.keep(hash(token), token, next, NOW);
        assertNull(known.find(hash(token), NOW));
    }

    @Test
    void aKeptTokenIsReadAgainAfterItsReuseTime() {
        known.listening(connected::get);
        ApiToken token = token();
        known.keep(hash(token), token, known.mark(), NOW);
        assertEquals(token.id, known.find(hash(token), NOW.plusSeconds(60)).id());
        assertNull(known.find(hash(token), NOW.plusSeconds(61)));
    }

    @Test
    void aLostListenerConnectionForgetsEverythingAndTheResubscriptionStartsAfresh() {
        known.listening(connected::get);
        ApiToken token = token();
        known.keep(hash(token), token, known.mark(), NOW);

        connected.set(false);
        assertNull(known.find(hash(token), NOW), "changes may go unheard while disconnected");
        known.keep(hash(token), token, known.mark(), NOW);
        connected.set(true);
        assertNull(known.find(hash(token), NOW), "nothing kept while deaf survives the reconnection");

        known.listening(connected::get);
        known.keep(hash(token), token, known.mark(), NOW);
        assertEquals(token.id, known.find(hash(token), NOW).id());
        known.deaf();
        assertNull(known.find(hash(token), NOW));
    }
}
