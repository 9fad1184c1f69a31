package dev.parley.web.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 *   <li><b>idle keep-alive</b>: a connection waiting for its next request (or its first) is closed after
 *       {@code idleTimeout}; this also bounds the request line, which Helidon reads before telling anyone;
 *   <li><b>request headers</b>: they must arrive within {@code headerTimeout} of the request line, else the client
 *       gets a JSON 408 and the connection closes (a client trickling headers a byte at a time would otherwise hold
 *       a connection and a thread forever);
 *   <li><b>request body</b>: the body must arrive within {@code bodyTimeout} of the headers, plus a second for every
 *       {@value #BYTES_PER_EXTRA_SECOND} bytes received, so a large upload over a slow link passes and a trickle
 *       does not (408, then the connection closes);
 *   <li><b>connections per address</b>: beyond {@code maxPerAddress} open connections from one address, a further
 *       connection's requests are answered with a JSON 429 and it is closed.
 * </ul>
 *
 * <p>Nothing bounds the time a handler takes to answer: a ChatKit stream may last minutes and reads nothing.
 *
 * <p>It wraps the HTTP/1.1 connection Helidon would create (so it is the listener's only connection selector, and
 * sees a connection from its accept, before its first byte), and follows each request through Helidon's
 * connection listener (request line and headers read) and {@link #filter()}, which meters the body stream of every
 * route and marks the end of the request. One daemon thread checks deadlines a few times per shortest timeout.
 *
 * <p>After a 408 the connection is read on (and the input discarded) for half a second before it is closed:
 * closing a socket with unread input resets it, and a reset can destroy the 408 before the client reads it.
 */
public final class ConnectionGuard implements AutoCloseable {
    /** Each received body byte buys this much longer: 1 KiB per second is far below any real link. */
    static final long BYTES_PER_EXTRA_SECOND = 1024;
    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());
    private static final ThreadLocal<Connection> CURRENT = new ThreadLocal<>();
    /** How long a connection is read on after its 408 before it is closed; see the class comment. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

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
                        .addReceiveListener(new RequestHeads())
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
            if (c.closing()) throw new CloseConnectionException("The request came in after its deadline; answered with 408");
            if (c.refused) {
                throw new HttpError(429, "too_many_connections", "Your address already has " + maxPerAddress
                        + " connections open to this server; reuse them (keep-alive) or close some, then retry",
                        Map.of("Connection", "close", "Retry-After", "1"));
            }
            req.streamFilter(in -> new MeteredBody(in, c));
            try {
                chain.proceed();
            } finally {
                c.requestDone(req, res);
            }
        };
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
    private final class Connection {
        final ConnectionContext ctx;
        final String address;
        final boolean refused;
        volatile ServerConnection delegate;
        private Phase phase = Phase.IDLE;
        private long since = System.nanoTime();
        private long received;
        private volatile boolean responding;
        private volatile boolean closed;

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

        synchronized void requestLine() {
            if (phase == Phase.IDLE) enter(Phase.HEAD);
        }

        synchronized void bodyBytes(int bytes) {
            if (phase == Phase.BODY) received += bytes;
        }

        synchronized void headers(Headers headers) {
            if (phase == Phase.IDLE) enter(Phase.HEAD);
            enter(hasBody(headers) ? Phase.BODY : Phase.HANDLING);
        }

        synchronized void bodyRead() {
            if (phase == Phase.BODY) enter(Phase.HANDLING);
        }

        /**
         * {@return whether the request is past its deadline}: if so, the client has been sent a 408 (unless a
         * response had begun) and the connection closes shortly
         */
        boolean expired() {
            expireIfLate(System.nanoTime());
            return closing();
        }

        synchronized boolean closing() {
            return phase == Phase.CLOSING;
        }

        void requestDone(ServerRequest req, ServerResponse res) {
            if (closing() || res.headers().contains(HeaderValues.CONNECTION_CLOSE)) return;
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
                case CLOSING -> LINGER_NANOS;
                case HANDLING -> Long.MAX_VALUE;
            };
            return allowed != Long.MAX_VALUE && now - since > allowed;
        }

        /** Past the deadline, answers 408 and starts the linger; past the linger, closes. */
        void expireIfLate(long now) {
            Phase was;
            synchronized (this) {
                if (!late(now)) return;
                was = phase;
                if (was != Phase.CLOSING) {
                    phase = Phase.CLOSING;
                    since = now;
                }
            }
            if (was == Phase.CLOSING) {
                close();
                return;
            }
            if (was == Phase.IDLE) {
                // An idle connection is closed without a word, as HTTP/1.1 allows.
                close();
                return;
            }
            if (was == Phase.HEAD || !responding) {
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
            // The connection is read on until the linger ends; the filter routes nothing that completes meanwhile.
            LOG.log(System.Logger.Level.DEBUG, "Answered 408 to {0}: request {1} past its deadline", address, was);
        }

        private void close() {
            if (closed) return;
            closed = true;
            LOG.log(System.Logger.Level.DEBUG, "Closing a connection from {0}", address);
            try {
                // Closing the socket ends a read blocked on it, whatever thread it runs on.
                ctx.serverSocket().close();
            } catch (RuntimeException e) {
                // Already closed (the connection's thread was interrupted) or not closable here: interrupt it.
                ServerConnection d = delegate;
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

    /** Request line and headers read, on the connection's own thread. */
    private final class RequestHeads implements Http1ConnectionListener {
        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            Connection c = byContext.get(ctx);
            if (c != null) c.requestLine();
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            Connection c = byContext.get(ctx);
            if (c != null) c.headers(headers);
        }
    }

    /**
     * The request body as every route reads it: counts bytes toward the body's deadline, tells the guard when the
     * body is in, and once the guard has answered 408, discards the rest until the guard closes the connection,
     * then ends the request with Helidon's {@link CloseConnectionException} (no second answer).
     */
    private static final class MeteredBody extends FilterInputStream {
        private final Connection connection;

        MeteredBody(InputStream in, Connection connection) {
            super(in);
            this.connection = connection;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                if (connection.expired()) throw new CloseConnectionException("Request body past its deadline", e);
                throw e;
            }
            if (n == -1) {
                connection.bodyRead();
            } else {
                connection.bodyBytes(n);
                if (connection.expired()) throw discardUntilClosed();
            }
            return n;
        }

        private CloseConnectionException discardUntilClosed() {
            byte[] sink = new byte[8192];
            try {
                while (super.read(sink, 0, sink.length) != -1) {
                    // Reading keeps the client's last bytes from turning the close into a reset.
                }
                return new CloseConnectionException("Request body past its deadline; answered with 408");
            } catch (IOException | RuntimeException e) {
                return new CloseConnectionException("Request body past its deadline; answered with 408", e);
            }
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
