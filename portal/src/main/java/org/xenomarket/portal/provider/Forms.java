package org.xenomarket.portal.provider;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The first value of each expected field of a posted form; fields the page does not know are dropped. */
final class Forms {

    private Forms() {
    }

    static Map<String, String> single(MultivaluedMap<String, String> posted, Collection<String> expected) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : expected) {
            String value = posted.getFirst(field);
            values.put(field, value == null ? "" : value);
        }
        return values;
    }
}
