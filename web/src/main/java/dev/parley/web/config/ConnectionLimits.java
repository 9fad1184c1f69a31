package dev.parley.web.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How long and how many connections a client may hold; see docs/deployment.md, "Connection limits".
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>Variable</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>PARLEY_HEADER_TIMEOUT</td><td>20</td><td>seconds a request line and headers may take to arrive</td></tr>
 *   <tr><td>PARLEY_BODY_TIMEOUT</td><td>30</td><td>seconds a request body may take to arrive, plus one per KiB
 *       received</td></tr>
 *   <tr><td>PARLEY_IDLE_TIMEOUT</td><td>90</td><td>seconds a keep-alive connection may wait for its next
 *       request (longer than nginx's 60-second upstream keep-alive, so the proxy closes first)</td></tr>
 *   <tr><td>PARLEY_MAX_CONNECTIONS_PER_ADDRESS</td><td>256</td><td>connections one client address may hold open;
 *       0 for no limit; not applied with PARLEY_TRUST_PROXY, since behind a proxy every connection comes from
 *       the proxy's address</td></tr>
 * </table>
 *
 * <p>None of them limits a response: a ChatKit stream may take minutes.
 *
 * @param headerTimeout        time from a request's first byte to the end of its headers
 * @param bodyTimeout          time from the end of the headers to the end of the body, before the allowance for
 *                             bytes received
 * @param idleTimeout          time a connection may wait for its next request
 * @param maxPerAddress        open connections per remote address; 0 for no limit
 */
public record ConnectionLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxPerAddress) {
    public static final String HEADER_TIMEOUT = "PARLEY_HEADER_TIMEOUT";
    public static final String BODY_TIMEOUT = "PARLEY_BODY_TIMEOUT";
    public static final String IDLE_TIMEOUT = "PARLEY_IDLE_TIMEOUT";
    public static final String MAX_CONNECTIONS_PER_ADDRESS = "PARLEY_MAX_CONNECTIONS_PER_ADDRESS";

    /** Shorter than this, a slow but honest client on a bad link is cut off; tests use it too. */
    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofHours(1);

    private static final EnvReader.Rule<Duration> HEADER_RULE = timeout(HEADER_TIMEOUT);
    private static final EnvReader.Rule<Duration> BODY_RULE = timeout(BODY_TIMEOUT);
    private static final EnvReader.Rule<Duration> IDLE_RULE = timeout(IDLE_TIMEOUT);
    private static final EnvReader.Rule<Integer> PER_ADDRESS_RULE = EnvReader.Rule.intRange(
            MAX_CONNECTIONS_PER_ADDRESS, 0, 1_000_000, "a whole number from 0 (no limit) to 1000000");

    public ConnectionLimits {
        HEADER_RULE.check(Objects.requireNonNull(headerTimeout, "headerTimeout"));
        BODY_RULE.check(Objects.requireNonNull(bodyTimeout, "bodyTimeout"));
        IDLE_RULE.check(Objects.requireNonNull(idleTimeout, "idleTimeout"));
        PER_ADDRESS_RULE.check(maxPerAddress);
    }

    /** {@return 20 s for headers, 30 s (plus a second per KiB) for a body, 90 s idle, 256 connections per address} */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(90), 256);
    }

    /** {@return the limits the variables describe}, adding a line to {@code problems} for each bad value */
    static ConnectionLimits fromEnv(Map<String, String> env, List<String> problems) {
        ConnectionLimits d = defaults();
        var reader = new EnvReader(env, problems);
        return new ConnectionLimits(reader.read(HEADER_RULE, d.headerTimeout()), reader.read(BODY_RULE, d.bodyTimeout()),
                reader.read(IDLE_RULE, d.idleTimeout()), reader.read(PER_ADDRESS_RULE, d.maxPerAddress()));
    }

    public ConnectionLimits withHeaderTimeout(Duration d) {
        return new ConnectionLimits(d, bodyTimeout, idleTimeout, maxPerAddress);
    }

    public ConnectionLimits withBodyTimeout(Duration d) {
        return new ConnectionLimits(headerTimeout, d, idleTimeout, maxPerAddress);
    }

    public ConnectionLimits withIdleTimeout(Duration d) {
        return new ConnectionLimits(headerTimeout, bodyTimeout, d, maxPerAddress);
    }

    public ConnectionLimits withMaxPerAddress(int n) {
        return new ConnectionLimits(headerTimeout, bodyTimeout, idleTimeout, n);
    }

    private static EnvReader.Rule<Duration> timeout(String name) {
        return new EnvReader.Rule<>(name, s -> Duration.ofSeconds(Long.parseLong(s)),
                d -> d.compareTo(MIN) >= 0 && d.compareTo(MAX) <= 0, "a number of seconds from 1 to " + MAX.toSeconds());
    }
}
