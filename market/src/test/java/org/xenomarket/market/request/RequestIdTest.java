package org.xenomarket.market.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestIdTest {

    @Test
    void aWellFormedIdIsKept() {
        assertEquals("support-case_42:retry.1", RequestId.of("support-case_42:retry.1"));
        String longest = "a".repeat(128);
        assertEquals(longest, RequestId.of(longest));
    }

    @Test
    void aMissingEmptyTooLongOrUnsafeIdIsReplacedByAFreshWellFormedOne() {
        for (String bad : new String[] {null, "", "a".repeat(129), "has space", "<script>", "line\nbreak", "ünïcode",
                "quote'd"}) {
            String id = RequestId.of(bad);
            assertNotEquals(bad, id);
            assertTrue(RequestId.isWellFormed(id), id);
        }
    }

    @Test
    void freshIdsDiffer() {
        assertNotEquals(RequestId.of(null), RequestId.of(null));
        assertFalse(RequestId.isWellFormed(" padded "));
    }
}
