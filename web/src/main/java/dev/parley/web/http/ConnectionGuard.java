package dev.parley.web.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds what one client can hold open, where Helidon's listener has no bound of its own:
 *
 * <ul>
 *   <li><b>request head</b>: the request line and headers must arrive within {@code headerTimeout} of their first
 *       byte, else the client gets a JSON 408 and the connection closes (a client trickling headers a byte at a
 *       time would otherwise hold a connection and a thread forever);
 *   <li><b>request body</b>: the body must arrive within {@code bodyTimeout} of the head, plus a second for every
 *       {@value #BYTES_PER_EXTRA_SECOND} bytes received, so a large upload over a slow link passes and a trickle
 *       does not (408, then the connection closes);
 *   <li><b>idle keep-alive</b>: a connection waiting for its next request is closed after {@code idleTimeout};
 *   <li><b>connections per address</b>: beyond {@code maxPerAddress} open connections from one address, a further
 *       connection's requests are answered with a JSON 429 and it is closed.
 * </ul>
 *
 * <p>Nothing bounds the time a handler takes to answer: a ChatKit stream may last minutes and reads nothing.
 *
 * <p>It wraps the HTTP/1.1 connection Helidon would create (so it is the listener's only connection selector, and
 * sees a connection from its accept, before its first byte) and follows the request phases through Helidon's
 * connection listener events, {@link #filter()} (a request is done) and {@link Requests#body} (its body is in).
 * One daemon thread checks deadlines a few times per shortest timeout.
 */
public final class ConnectionGuard implements AutoCloseable {
    /** Each received body byte buys this much longer: 1 KiB per second is far below any real link. */
    static final long BYTES_PER_EXTRA_SECOND = 1024;
    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());
    private static final ThreadLocal<Connection> CURRENT = new ThreadLocal<>();
    private static final Tracker UNGUARDED = new Tracker() {
        @Override
        public boolean timedOut() {
            return false;
        }

        @Override
        public void bodyRead() {}

        @Override
        public String bodyAllowance() {
            return "the time allowed";
        }
    };

    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final Duration idleTimeout;
    private final int maxPerAddress;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Map<ConnectionContext, Connection> byContext = new ConcurrentHashMap<>();
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;

    /**
     * @param maxPerAddress connections one remote address may hold open at once; 0 for no limit
     */
    public ConnectionGuard(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxPerAddress) {
        this.headerTimeout = headerTimeout;
        this.bodyTimeout = bodyTimeout;
        this.idleTimeout = idleTimeout;
        this.maxPerAddress = maxPerAddress;
        long shortest = Math.min(headerTimeout.toMillis(), Math.min(bodyTimeout.toMillis(), idleTimeout.toMillis()));
        long tick = Math.clamp(shortest / 4, 20, 1000);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-connection-guard");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * {@return the HTTP/1.1 connection selector to install as the listener's only one}
     *
     * @param maxHeaderBytes      largest request header section
     * @param maxRequestLineBytes longest request line
     */
    public ServerConnectionSelector selector(int maxHeaderBytes, int maxRequestLineBytes) {
        Http1ConnectionSelector http1 = Http1ConnectionSelector.builder()
                .config(Http1Config.builder()
                        .maxHeadersSize(maxHeaderBytes)
                        .maxPrologueLength(maxRequestLineBytes)
                        .addReceiveListener(new Events())
                        .addSendListener(new Responses())
                        .build())
                .build();
        return new ServerConnectionSelector() {
            @Override
            public int bytesToIdentifyConnection() {
                return http1.bytesToIdentifyConnection();
            }

            @Override
            public Support supports(BufferData data) {
                return http1.supports(data);
            }

            @Override
            public Set<String> supportedApplicationProtocols() {
                return http1.supportedApplicationProtocols();
            }

            @Override
            public ServerConnection connection(ConnectionContext ctx) {
                return new Guarded(http1.connection(ctx), ctx);
            }
        };
    }

    /**
     * {@return the routing filter that refuses requests on connections over the per-address limit and marks the
     * end of each request}; register it before every other filter
     */
    public Filter filter() {
        return (chain, req, res) -> {
            Connection c = CURRENT.get();
            if (c == null) {
                chain.proceed();
                return;
            }
            if (c.refused) {
                throw new HttpError(429, "too_many_connections", "Your address already has " + maxPerAddress
                        + " connections open to this server; reuse them (keep-alive) or close some, then retry",
                        Map.of("Connection", "close", "Retry-After", "1"));
            }
            try {
                chain.proceed();
            } finally {
                c.requestDone(req, res);
            }
        };
    }

    /** {@return how the current request's body reading reports progress and learns its deadline} */
    static Tracker current() {
        Connection c = CURRENT.get();
        return c == null ? UNGUARDED : c;
    }

    /** Stops checking deadlines; open connections are the server's to close. */
    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Connection c : open) {
            try {
                c.expireIfLate(now);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Closing a connection past its deadline failed", e);
            }
        }
    }

    /** What {@link Requests#body} needs from the guard. */
    interface Tracker {
        /** {@return whether the body's deadline has passed}; claims the answer, so the watchdog sends none */
        boolean timedOut();

        /** The body has been read to its end. */
        void bodyRead();

        /** {@return the base time allowed for a body, for messages} */
        String bodyAllowance();
    }

    private enum Phase {
        /** Waiting for the next request (or the first): the idle timeout runs. */
        IDLE,
        /** Reading the request line and headers: the header timeout runs. */
        HEAD,
        /** Reading the body: the body timeout runs, extended by bytes received. */
        BODY,
        /** The handler has the request: no deadline. */
        HANDLING,
        /** Past its deadline: being answered and closed. */
        CLOSING
    }

    /** One connection's phase and deadline; changed by its own thread, the response writer and the watchdog. */
    private final class Connection implements Tracker {
        final ConnectionContext ctx;
        final String address;
        final boolean refused;
        volatile ServerConnection delegate;
        private Phase phase = Phase.IDLE;
        private long since = System.nanoTime();
        private long received;
        private volatile boolean responding;

        Connection(ConnectionContext ctx, String address, boolean refused) {
            this.ctx = ctx;
            this.address = address;
            this.refused = refused;
        }

        synchronized void enter(Phase next) {
            if (phase == Phase.CLOSING) return;
            phase = next;
            since = System.nanoTime();
            received = 0;
            if (next == Phase.HEAD) responding = false;
        }

        synchronized void received(int bytes) {
            if (phase == Phase.IDLE) enter(Phase.HEAD);
            else if (phase == Phase.BODY) received += bytes;
        }

        synchronized void headers(Headers headers) {
            if (phase == Phase.IDLE) enter(Phase.HEAD);
            enter(hasBody(headers) ? Phase.BODY : Phase.HANDLING);
        }

        @Override
        public synchronized void bodyRead() {
            if (phase == Phase.BODY) enter(Phase.HANDLING);
        }

        @Override
        public synchronized boolean timedOut() {
            if (phase == Phase.BODY && late(System.nanoTime())) {
                phase = Phase.CLOSING;
                return true;
            }
            return phase == Phase.CLOSING;
        }

        @Override
        public String bodyAllowance() {
            return seconds(bodyTimeout);
        }

        void requestDone(ServerRequest req, ServerResponse res) {
            if (res.headers().contains(HeaderValues.CONNECTION_CLOSE)) return;
            if (!req.content().consumed()) {
                // Helidon reads an unread small body before the next request; do it here, under the body deadline.
                try {
                    req.content().consume();
                } catch (RuntimeException e) {
                    return; // The connection cannot continue; Helidon closes it.
                }
            }
            enter(Phase.IDLE);
        }

        private boolean late(long now) {
            long allowed = switch (phase) {
                case IDLE -> idleTimeout.toNanos();
                case HEAD -> headerTimeout.toNanos();
                case BODY -> bodyTimeout.toNanos() + TimeUnit.SECONDS.toNanos(received / BYTES_PER_EXTRA_SECOND);
                case HANDLING, CLOSING -> Long.MAX_VALUE;
            };
            return allowed != Long.MAX_VALUE && now - since > allowed;
        }

        void expireIfLate(long now) {
            Phase was;
            synchronized (this) {
                if (!late(now)) return;
                was = phase;
                phase = Phase.CLOSING;
            }
            // An idle connection is closed without a word, as HTTP/1.1 allows; a late request gets told why.
            if (was == Phase.HEAD || (was == Phase.BODY && !responding)) {
                String message = was == Phase.HEAD
                        ? "The request line and headers did not arrive within " + seconds(headerTimeout)
                        : "The request body arrived too slowly; send it within " + seconds(bodyTimeout)
                                + " (plus a second per KiB)";
                try {
                    ctx.dataWriter().writeNow(BufferData.create(
                            ErrorResponses.rawResponse(Status.REQUEST_TIMEOUT_408, "request_timeout", message)));
                } catch (RuntimeException e) {
                    // The client is gone already; closing is all that is left.
                }
            }
            LOG.log(System.Logger.Level.DEBUG, "Closing a connection from {0}: {1} past its deadline", address, was);
            ServerConnection d = delegate;
            if (d != null) d.close(false);
            try {
                // Closing the socket ends a read blocked on it, whatever thread it runs on.
                ctx.serverSocket().close();
            } catch (UnsupportedOperationException e) {
                if (d != null) d.close(true);
            }
        }

        private static boolean hasBody(Headers headers) {
            if (headers.contains(HeaderValues.TRANSFER_ENCODING_CHUNKED)) return true;
            if (!headers.contains(HeaderNames.CONTENT_LENGTH)) return false;
            try {
                return headers.contentLength().orElse(0) > 0;
            } catch (RuntimeException e) {
                return true; // Helidon refuses the request itself.
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The HTTP/1.1 connection with its place in the guard, from before its first read until it ends. */
    private final class Guarded implements ServerConnection, InterruptableTask<Void> {
        private final ServerConnection delegate;
        private final ConnectionContext ctx;

        Guarded(ServerConnection delegate, ConnectionContext ctx) {
            this.delegate = delegate;
            this.ctx = ctx;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            Connection c = register();
            try {
                delegate.handle(limit);
            } finally {
                release(c);
            }
        }

        @Override
        @SuppressWarnings("removal")
        public void handle(Semaphore requestSemaphore) throws InterruptedException {
            Connection c = register();
            try {
                delegate.handle(requestSemaphore);
            } finally {
                release(c);
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }

        @Override
        public boolean canInterrupt() {
            return delegate instanceof InterruptableTask<?> task && task.canInterrupt();
        }

        private Connection register() {
            String address = ctx.remotePeer().host();
            int count = perAddress.merge(address, 1, Integer::sum);
            Connection c = new Connection(ctx, address, maxPerAddress > 0 && count > maxPerAddress);
            c.delegate = delegate;
            byContext.put(ctx, c);
            open.add(c);
            CURRENT.set(c);
            return c;
        }

        private void release(Connection c) {
            CURRENT.remove();
            open.remove(c);
            byContext.remove(ctx);
            perAddress.computeIfPresent(c.address, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Request-side events of every connection, on the connection's own thread. */
    private final class Events implements Http1ConnectionListener {
        @Override
        public void data(ConnectionContext ctx, BufferData data) {
            Connection c = byContext.get(ctx);
            if (c != null) c.received(data.available());
        }

        @Override
        public void data(ConnectionContext ctx, byte[] bytes, int offset, int length) {
            Connection c = byContext.get(ctx);
            if (c != null) c.received(length);
        }

        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            Connection c = byContext.get(ctx);
            if (c != null) c.received(0);
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            Connection c = byContext.get(ctx);
            if (c != null) c.headers(headers);
        }
    }

    /** Notes that a response has begun, after which a late body is closed rather than answered twice. */
    private final class Responses implements Http1ConnectionListener {
        @Override
        public void status(ConnectionContext ctx, Status status) {
            Connection c = byContext.get(ctx);
            if (c != null) c.responding = true;
        }
    }
}
