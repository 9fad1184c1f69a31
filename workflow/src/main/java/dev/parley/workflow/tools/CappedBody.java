package dev.parley.workflow.tools;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read up to a limit. A webhook that answers with megabytes would otherwise be held in memory
 * whole and handed to the model; past the limit the rest is not read and the connection is let go.
 *
 * @param bytes     at most the limit
 * @param truncated whether the answer was longer
 */
record CappedBody(byte[] bytes, boolean truncated) {

    static HttpResponse.BodyHandler<CappedBody> handler(int limit) {
        return info -> new Subscriber(limit);
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<CappedBody> {
        private final int limit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<CappedBody> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Subscriber(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<CappedBody> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) return;
            for (ByteBuffer b : buffers) {
                int room = limit - out.size();
                if (b.remaining() > room) {
                    byte[] part = new byte[room];
                    b.get(part);
                    out.write(part, 0, room);
                    result.complete(new CappedBody(out.toByteArray(), true));
                    subscription.cancel();
                    return;
                }
                byte[] all = new byte[b.remaining()];
                b.get(all);
                out.write(all, 0, all.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(new CappedBody(out.toByteArray(), false));
        }
    }
}
