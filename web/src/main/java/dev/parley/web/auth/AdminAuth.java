package dev.parley.web.auth;

import dev.parley.web.http.HttpError;
import dev.parley.web.http.Requests;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/** The admin token check shared by the admin and server-side APIs. */
public final class AdminAuth {
    private final byte[] token;

    /** @param token {@code PARLEY_ADMIN_TOKEN}, or null when the admin API is off */
    public AdminAuth(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** @throws HttpError 403 when the API is off, 401 when the token is missing or wrong */
    public void check(ServerRequest req) {
        if (token == null) {
            throw new HttpError(403, "admin_disabled",
                    "The admin API is off. Set PARLEY_ADMIN_TOKEN (at least 24 characters) and restart to turn it on.");
        }
        String given = Requests.bearer(req).orElseThrow(() -> new HttpError(401, "missing_token",
                "Send the admin token as Authorization: Bearer <PARLEY_ADMIN_TOKEN>",
                Map.of("WWW-Authenticate", "Bearer realm=\"parley-admin\"")));
        // Constant time, so the token cannot be guessed byte by byte from response timings.
        if (!MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(401, "invalid_token", "The admin token is wrong",
                    Map.of("WWW-Authenticate", "Bearer realm=\"parley-admin\", error=\"invalid_token\""));
        }
    }
}
