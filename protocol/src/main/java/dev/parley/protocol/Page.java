package dev.parley.protocol;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list, ChatKit's {@code {data, has_more, after}} shape.
 *
 * @param data    the records on this page
 * @param hasMore whether another page follows
 * @param after   the cursor for the next page (the id of the last record), or null when there is none
 */
public record Page<T>(List<T> data, boolean hasMore, String after) {
    public Page {
        data = data == null ? List.of() : List.copyOf(data);
    }

    /** {@return an empty page with no more records} */
    public static <T> Page<T> empty() {
        return new Page<>(List.of(), false, null);
    }

    /** {@return this page with each record mapped, keeping the cursor} */
    public <R> Page<R> map(Function<? super T, ? extends R> f) {
        return new Page<>(data.stream().<R>map(f).toList(), hasMore, after);
    }
}
