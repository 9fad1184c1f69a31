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
 */
public final class AdminAuth {
    /** Wrong or missing tokens one address may send per minute; an operator's scripts never get near it. */
    public static final int FAILURES_PER_MINUTE = 10;
    private static final System.Logger LOG = System.getLogger(AdminAuth.class.getName());

    private final byte[] token;
    private final boolean trustProxy;
    private final RateLimiter failures;

    /**
     * @param token      {@code PARLEY_ADMIN_TOKEN}, or null when the admin API is off
     * @param trustProxy whether the client address comes from {@code X-Forwarded-For}
     */
    public AdminAuth(String token, boolean trustProxy) {
        this(token, trustProxy, new RateLimiter(FAILURES_PER_MINUTE));
    }

    AdminAuth(String token, boolean trustProxy, RateLimiter failures) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.trustProxy = trustProxy;
        this.failures = failures;
    }

    /** @throws HttpError 403 when the API is off, 429 after too many failures, 401 when the token is missing or wrong */
    public void check(ServerRequest req) {
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
        Optional<String> given = Requests.bearer(req);
        if (given.isEmpty()) {
            refused(req, address, "without a token");
            throw new HttpError(401, "missing_token", "Send the admin token as Authorization: Bearer <PARLEY_ADMIN_TOKEN>",
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
