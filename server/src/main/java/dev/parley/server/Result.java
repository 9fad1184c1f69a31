package dev.parley.server;

/** What the dispatcher answers: one JSON document, or a stream of events. */
public sealed interface Result {
    /** @param body a value written as JSON in the client's view ({@code {}} when there is nothing to say) */
    record Json(Object body) implements Result {}

    /** A stream that is written when the HTTP edge is ready; it runs on the caller's thread. */
    record Stream(StreamBody body) implements Result {}

    @FunctionalInterface
    interface StreamBody {
        /** Produces every event of the response into the sink, then returns. Never throws for a turn failure. */
        void writeTo(EventSink sink);
    }
}
