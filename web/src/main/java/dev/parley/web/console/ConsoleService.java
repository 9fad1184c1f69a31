package dev.parley.web.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.parley.protocol.ChatKitJson;
import dev.parley.web.auth.AdminAuth;
import dev.parley.web.auth.ConsoleSessions;
import dev.parley.web.config.CookieSettings;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import dev.parley.web.http.StaticAssets;
import dev.parley.web.http.StaticAssets.Asset;
import dev.parley.web.http.Requests;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The console: a page and its ES modules served from the jar ({@code public/console/}), and its sign-in.
 *
 * <pre>{@code
 * curl -si localhost:8080/console/session -H 'Content-Type: application/json' -d '{"token": "…"}'   # Set-Cookie
 * }</pre>
 *
 * <p>Routes: {@code GET /console} the page; {@code GET /console/{file}} and {@code GET /console/src/{file}} its
 * stylesheet and modules; {@code POST /console/session} exchanges the admin token for the session cookie
 * ({@link ConsoleSessions}); {@code GET /console/session} says whether the browser is signed in;
 * {@code DELETE /console/session} signs out. Everything else the console does goes through the admin API, which
 * accepts the cookie ({@link AdminAuth}).
 *
 * <p>Every response carries a strict Content-Security-Policy: scripts and styles from this server only, no inline
 * code, no framing. The console holds the keys to every workflow, so an injected script there would be worse
 * than anywhere else on the server.
 */
public final class ConsoleService implements HttpService {
    static final String PREFIX = "/console";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /**
     * The preview frame runs the chat widget, which styles its shadow root with {@code <style>} elements: inline
     * styles are allowed there, inline scripts still are not, and only the console may frame it.
     */
    static final String PREVIEW_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'self'";
    private static final String ROOT = "public/console/";
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");
    /** A sign-in body holds one token; anything larger is not one. */
    private static final int MAX_SIGN_IN_BYTES = 4096;

    private final AdminAuth auth;
    private final CookieSettings cookies;
    private final StaticAssets assets = new StaticAssets(ROOT);

    /** @param cookies only {@code Secure} is taken from these: the console's cookie is always SameSite=Strict */
    public ConsoleService(AdminAuth auth, CookieSettings cookies) {
        this.auth = auth;
        this.cookies = cookies;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PREFIX, (req, res) -> send(req, res, asset("index.html"), CSP))
                .get(PREFIX + "/", (req, res) -> send(req, res, asset("index.html"), CSP))
                .get(PREFIX + "/preview", (req, res) -> send(req, res, asset("preview.html"), PREVIEW_CSP))
                .post(PREFIX + "/session", this::signIn)
                .get(PREFIX + "/session", this::session)
                .delete(PREFIX + "/session", this::signOut)
                .get(PREFIX + "/src/{file}", (req, res) -> send(req, res, file(req, "src/"), CSP))
                .get(PREFIX + "/{file}", (req, res) -> send(req, res, file(req, ""), CSP));
    }

    private void signIn(ServerRequest req, ServerResponse res) {
        ConsoleSessions sessions = sessions();
        byte[] body = Requests.readBody(req, MAX_SIGN_IN_BYTES, "body_too_large",
                "Send {\"token\": \"<PARLEY_ADMIN_TOKEN>\"}; this body is larger than any token");
        JsonNode json;
        try {
            json = body.length == 0 ? null : ChatKitJson.mapper().readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.path("token").isTextual()) {
            throw HttpError.badRequest("invalid_sign_in", "Send {\"token\": \"<PARLEY_ADMIN_TOKEN>\"} as JSON");
        }
        auth.checkToken(req, json.path("token").asText());
        ConsoleSessions.Issued issued = sessions.issue();
        res.header(HeaderNames.SET_COOKIE, cookie(issued.value(), (int) ConsoleSessions.TTL.toSeconds()));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        ErrorResponses.json(res, 200, JsonNodeFactory.instance.objectNode().put("signed_in", true)
                .put("expires_at", issued.expiresAt().toString()));
    }

    /** Answers 200 either way: not being signed in is the normal first state of the page, not an error. */
    private void session(ServerRequest req, ServerResponse res) {
        ConsoleSessions sessions = sessions();
        Optional<java.time.Instant> expiry = Requests.cookie(req, ConsoleSessions.COOKIE).flatMap(sessions::expiry);
        var out = JsonNodeFactory.instance.objectNode().put("signed_in", expiry.isPresent());
        expiry.ifPresent(e -> out.put("expires_at", e.toString()));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        ErrorResponses.json(res, 200, out);
    }

    /**
     * Ends the session on every server (a copy of the cookie stops working too) and clears the cookie. The header
     * check keeps another site from signing an operator out.
     */
    private void signOut(ServerRequest req, ServerResponse res) {
        if (!req.headers().first(HeaderNames.create(AdminAuth.CONSOLE_HEADER)).map("1"::equals).orElse(false)) {
            throw new HttpError(403, "console_header_missing", "Sign out from the console (it sends "
                    + AdminAuth.CONSOLE_HEADER + ": 1)");
        }
        Requests.cookie(req, ConsoleSessions.COOKIE).ifPresent(sessions()::signOut);
        res.header(HeaderNames.SET_COOKIE, cookie("", 0));
        res.status(204).send();
    }

    private ConsoleSessions sessions() {
        ConsoleSessions sessions = auth.sessions();
        if (sessions == null) {
            throw new HttpError(403, "admin_disabled", "The console needs the admin API. Set PARLEY_ADMIN_TOKEN "
                    + "(at least 24 characters) and restart to turn it on.");
        }
        return sessions;
    }

    private String cookie(String value, int maxAgeSeconds) {
        return ConsoleSessions.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (cookies.secure() ? "; Secure" : "");
    }

    private Asset file(ServerRequest req, String folder) {
        String file = req.path().pathParameters().get("file");
        if (!FILE.matcher(file).matches() || file.endsWith(".html")) {
            throw HttpError.notFound("No console file " + folder + file);
        }
        return asset(folder + file);
    }

    private Asset asset(String path) {
        Asset asset = assets.get(path);
        if (asset == null) throw HttpError.notFound("No console file " + path);
        return asset;
    }

    /** The console's own headers on top of the shared ones: it holds the keys to every workflow. */
    private static void send(ServerRequest req, ServerResponse res, Asset asset, String policy) {
        res.header("Content-Security-Policy", policy);
        res.header("Referrer-Policy", "no-referrer");
        StaticAssets.send(req, res, asset);
    }
}
