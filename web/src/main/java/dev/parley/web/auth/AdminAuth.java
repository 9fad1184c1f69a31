package dev.parley.web.auth;

import dev.parley.web.access.ClientAddress;
import dev.parley.web.access.RateLimiter;
import dev.parley.web.http.HttpError;
import dev.parley.web.http.Requests;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The admin token check shared by the admin and server-side APIs. The token is compared in constant time, and
 * an address that keeps sending wrong or missing tokens is made to wait ({@value #FAILURES_PER_MINUTE} failures
 * a minute), so the token cannot be guessed by trying; refusals are logged with the address, never the token.
 *
 * <p>The console's session cookie ({@link ConsoleSessions}) is accepted in place of the token. A browser sends
 * that cookie on its own, so a state-changing request that relies on it must also carry
 * {@value #CONSOLE_HEADER}{@code : 1}: a form or image on another site cannot add a custom header, and a script
 * there that tries is stopped by CORS (no CORS is allowed on these routes). SameSite=Strict is the first guard,
 * this the second, for browsers or proxies that ignore SameSite.
 */
public final class AdminAuth {
    /** Wrong or missing tokens one address may send per minute; an operator's scripts never get near it. */
    public static final int FAILURES_PER_MINUTE = 10;
    /** The header the console's own requests carry; see the class comment. */
    public static final String CONSOLE_HEADER = "X-Parley-Console";
    private static final System.Logger LOG = System.getLogger(AdminAuth.class.getName());

    private final byte[] token;
    private final boolean trustProxy;
    private final RateLimiter failures;
    private final ConsoleSessions sessions;

    /**
     * @param token      {@code PARLEY_ADMIN_TOKEN}, or null when the admin API is off
     * @param trustProxy whether the client address comes from {@code X-Forwarded-For}
     */
    public AdminAuth(String token, boolean trustProxy) {
        this(token, trustProxy, null);
    }

    /** @param sessions the console's sessions, accepted as well as the token; null for token only */
    public AdminAuth(String token, boolean trustProxy, ConsoleSessions sessions) {
        this(token, trustProxy, new RateLimiter(FAILURES_PER_MINUTE), sessions);
    }

    AdminAuth(String token, boolean trustProxy, RateLimiter failures, ConsoleSessions sessions) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.trustProxy = trustProxy;
        this.failures = failures;
        this.sessions = sessions;
    }

    /** {@return the console's sessions}, or null when there is no console (no admin token) */
    public ConsoleSessions sessions() {
        return token == null ? null : sessions;
    }

    /**
     * Checks an admin token given in a body rather than a header (the console's sign-in form), under the same
     * failure limit as every other check.
     *
     * @throws HttpError as {@link #check}
     */
    public void checkToken(ServerRequest req, String given) {
        String address = enabledAndNotLimited(req);
        verify(req, address, Optional.ofNullable(given).map(String::strip).filter(s -> !s.isEmpty()),
                "Enter the admin token (PARLEY_ADMIN_TOKEN)");
    }

    /** @throws HttpError 403 when the API is off, 429 after too many failures, 401 when the token is missing or wrong */
    public void check(ServerRequest req) {
        String address = enabledAndNotLimited(req);
        Optional<String> given = Requests.bearer(req);
        if (given.isEmpty() && sessions != null) {
            Optional<String> cookie = Requests.cookie(req, ConsoleSessions.COOKIE);
            if (cookie.isPresent()) {
                checkSession(req, address, cookie.get());
                return;
            }
        }
        verify(req, address, given, "Send the admin token as Authorization: Bearer <PARLEY_ADMIN_TOKEN>");
    }

    private void checkSession(ServerRequest req, String address, String cookie) {
        switch (sessions.check(cookie)) {
            case FORGED -> {
                refused(req, address, "with a console cookie this server did not sign");
                throw new HttpError(401, "invalid_session", "The console session is not valid (the admin token may "
                        + "have changed); sign in again at /console");
            }
            case EXPIRED -> throw new HttpError(401, "session_expired",
                    "The console session has expired; sign in again at /console");
            case SIGNED_OUT -> throw new HttpError(401, "signed_out",
                    "This console session was signed out; sign in again at /console");
            case VALID -> {
                String method = req.prologue().method().text();
                boolean safe = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
                if (!safe && !req.headers().first(io.helidon.http.HeaderNames.create(CONSOLE_HEADER))
                        .map(v -> v.strip().equals("1")).orElse(false)) {
                    throw new HttpError(403, "console_header_missing", "A " + method + " made with the console's "
                            + "session cookie must carry the header " + CONSOLE_HEADER + ": 1 (the console sends it; "
                            + "other pages cannot), or use Authorization: Bearer <PARLEY_ADMIN_TOKEN> instead");
                }
            }
        }
    }

    private String enabledAndNotLimited(ServerRequest req) {
        if (token == null) {
            throw new HttpError(403, "admin_disabled",
                    "The admin API is off. Set PARLEY_ADMIN_TOKEN (at least 24 characters) and restart to turn it on.");
        }
        String address = ClientAddress.of(req, trustProxy);
        long wait = failures.waitFor(address);
        if (wait > 0) {
            throw new HttpError(429, "too_many_failures", "Too many requests with a wrong or missing admin token from "
                    + "your address; try again in " + wait + " s", Map.of("Retry-After", Long.toString(wait)));
        }
        return address;
    }

    private void verify(ServerRequest req, String address, Optional<String> given, String missing) {
        if (given.isEmpty()) {
            refused(req, address, "without a token");
            throw new HttpError(401, "missing_token", missing,
                    Map.of("WWW-Authenticate", "Bearer realm=\"parley-admin\""));
        }
        // Constant time, so the token cannot be guessed byte by byte from response timings.
        if (!MessageDigest.isEqual(token, given.get().getBytes(StandardCharsets.UTF_8))) {
            refused(req, address, "with a wrong token");
            throw new HttpError(401, "invalid_token", "The admin token is wrong",
                    Map.of("WWW-Authenticate", "Bearer realm=\"parley-admin\", error=\"invalid_token\""));
        }
    }

    private void refused(ServerRequest req, String address, String how) {
        failures.acquire(address);
        LOG.log(System.Logger.Level.WARNING, "Refused an admin request {0} from {1}: {2} {3}", how, address,
                req.prologue().method().text(), req.path().path());
    }
}
