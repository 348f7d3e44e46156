package org.xenomarket.market.paging;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * One page of a list, oldest first. {@code next} is the cursor for the following page (pass it
 * as {@code after}), absent on the last page.
 */
public record PageJson<T>(List<T> items, String next) {

    public static <E, T> PageJson<T> of(List<E> entities, int limit, Function<E, UUID> id, Function<E, T> view) {
        String next = entities.size() == limit ? id.apply(entities.get(entities.size() - 1)).toString() : null;
        return new PageJson<>(entities.stream().map(view).toList(), next);
    }
}
