package dev.parley.web.hosted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ChatKitJson;
import dev.parley.web.config.CookieSettings;
import dev.parley.web.config.HostedConfig;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import dev.parley.web.http.Requests;
import dev.parley.web.session.SessionService;
import dev.parley.web.session.StateVariables;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/chatkit/session} in hosted mode: the browser's identity and a client secret for OpenAI's
 * hosted ChatKit, which then runs the configured Agent Builder workflow. The Java counterpart of the Next.js
 * route the seed guide builds, with its failures made readable.
 *
 * <pre>{@code
 * curl -s -c jar -b jar -X POST http://localhost:8080/api/chatkit/session -d '{"state_variables":{"plan":"pro"}}'
 * {"client_secret":"ek_...","expires_after":600,"expires_at":1764000000}
 * }</pre>
 *
 * <p>The browser is identified exactly as in self mode ({@link SessionService#sessionCookie}), and OpenAI is
 * told the same user id ({@link SessionService#userIdOf}), so a returning visitor sees their hosted history.
 * The cookie is set before anything can fail, so even an error answer hands a first-time visitor their
 * identity.
 *
 * <p>An optional JSON body {@code {"state_variables": {…}}} passes variables into the workflow: keys of 1 to 64
 * characters, values strings, numbers or booleans. The workflow and its version come from configuration only.
 *
 * <p>OpenAI's failures become JSON errors that tell the operator what to check, with OpenAI's status and
 * message: 401/403 → 502 {@code upstream_auth}; 404 → 502 {@code upstream_workflow_not_found}; other 4xx → 502
 * {@code upstream_rejected}; 429 → 429 {@code upstream_rate_limited} with OpenAI's {@code Retry-After}; 5xx or a
 * body that is not a session → 502 {@code upstream_error}; no answer in time → 504, no connection → 502, both
 * {@code upstream_unreachable}.
 */
public final class HostedSessionService implements HttpService {
    private static final System.Logger LOG = System.getLogger(HostedSessionService.class.getName());
    private static final long MAX_BODY_BYTES = 16 * 1024;
    private static final String BODY_HINT = "send {\"state_variables\": {\"name\": \"value\"}}, or no body";

    private final HostedSessions upstream;
    private final CookieSettings cookie;

    public HostedSessionService(HostedSessions upstream, CookieSettings cookie) {
        this.upstream = upstream;
        this.cookie = cookie;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(SessionService.PATH, this::createSession)
                .options(SessionService.PATH, (req, res) -> res.header(HeaderNames.ALLOW, "POST, OPTIONS").status(204).send())
                .any(SessionService.PATH, (req, res) -> {
                    throw new HttpError(405, "method_not_allowed", "Use POST for " + SessionService.PATH,
                            Map.of("Allow", "POST, OPTIONS"));
                });
    }

    private void createSession(ServerRequest req, ServerResponse res) {
        // First, so that every answer below, errors included, carries the cookie (Helidon keeps headers set
        // before a handler throws).
        // Log-out belongs to Parley's own secrets; OpenAI's hosted sessions are ended at OpenAI.
        String cookie = SessionService.sessionCookie(req, res, this.cookie, user -> false);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Map<String, Object> state = stateVariables(req);
        HostedSessions.Session session;
        try {
            session = upstream.create(SessionService.userIdOf(cookie), state);
        } catch (HostedSessions.Failure f) {
            throw answer(f);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_secret", session.clientSecret());
        body.put("expires_after", session.expiresAfter());
        body.put("expires_at", session.expiresAt());
        ErrorResponses.json(res, 200, body);
    }

    /** {@return the body's state variables, checked as OpenAI would, so a bad one never costs an upstream call} */
    private static Map<String, Object> stateVariables(ServerRequest req) {
        byte[] raw = Requests.readBody(req, MAX_BODY_BYTES, "body_too_large",
                "The session request body is larger than " + MAX_BODY_BYTES + " bytes");
        if (raw.length == 0) return Map.of();
        JsonNode body;
        try {
            body = ChatKitJson.mapper().readTree(raw);
        } catch (IOException e) {
            throw HttpError.badRequest("invalid_json", "The session request body is not valid JSON; " + BODY_HINT);
        }
        if (body == null || body.isNull()) return Map.of();
        if (!body.isObject()) throw HttpError.badRequest("invalid_body", "The session request body must be an object; " + BODY_HINT);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("state_variables")) {
                throw HttpError.badRequest("invalid_body", "Unknown field \"" + abbreviated(name) + "\" in the session "
                        + "request; in hosted mode the workflow and its version are set by " + HostedConfig.WORKFLOW_ID
                        + " and " + HostedConfig.WORKFLOW_VERSION + "; " + BODY_HINT);
            }
        }
        ObjectNode vars = StateVariables.check(body.get("state_variables"), StateVariables.Rules.OPENAI);
        @SuppressWarnings("unchecked")
        Map<String, Object> out = ChatKitJson.mapper().convertValue(vars, Map.class);
        return out;
    }

    /** {@return the answer for a failed upstream call}, logged once here with what the operator needs */
    private HttpError answer(HostedSessions.Failure f) {
        HostedConfig config = upstream.config();
        int status = f.status();
        String upstreamSays = " (OpenAI " + status + ": " + f.upstreamMessage() + ")";
        HttpError error = switch (f.kind()) {
            case TIMEOUT -> new HttpError(504, "upstream_unreachable", "OpenAI did not answer within "
                    + config.timeout().toSeconds() + " s; try again, and check " + HostedConfig.TIMEOUT
                    + " and the network between this server and " + HostedConfig.OPENAI_BASE_URL);
            case UNREACHABLE -> new HttpError(502, "upstream_unreachable", "Could not reach OpenAI to create the "
                    + "session; check " + HostedConfig.OPENAI_BASE_URL + " and this server's outbound network");
            case INVALID_RESPONSE -> new HttpError(502, "upstream_error", "OpenAI answered " + status + " without a "
                    + "client secret; check that " + HostedConfig.OPENAI_BASE_URL + " points at the OpenAI API");
            case STATUS -> switch (status) {
                case 401, 403 -> new HttpError(502, "upstream_auth", "OpenAI refused to create the session"
                        + upstreamSays + "; check " + HostedConfig.OPENAI_API_KEY + " (a key of the project that owns "
                        + "the workflow) and that the OpenAI-Beta header reaches OpenAI: Parley always sends "
                        + HostedSessions.BETA_HEADER + ": " + HostedSessions.BETA_VALUE + ", but a proxy at "
                        + HostedConfig.OPENAI_BASE_URL + " may drop it");
                case 404 -> new HttpError(502, "upstream_workflow_not_found", "OpenAI does not know workflow "
                        + config.workflowId() + (config.workflowVersion() == null ? "" : " version " + config.workflowVersion())
                        + upstreamSays + "; check " + HostedConfig.WORKFLOW_ID
                        + (config.workflowVersion() == null ? "" : " and " + HostedConfig.WORKFLOW_VERSION)
                        + ", that the workflow is published, and that " + HostedConfig.OPENAI_API_KEY
                        + " belongs to its project");
                case 429 -> new HttpError(429, "upstream_rate_limited", "insufficient_quota".equals(f.upstreamCode())
                        ? "OpenAI's quota for this key is used up" + upstreamSays + "; check the billing of the key's project"
                        : "OpenAI is rate limiting session creation" + upstreamSays + "; try again later",
                        f.retryAfter() == null ? Map.of() : Map.of("Retry-After", f.retryAfter()));
                default -> status >= 500
                        ? new HttpError(502, "upstream_error", "OpenAI failed to create the session" + upstreamSays
                                + "; try again later")
                        : new HttpError(502, "upstream_rejected", "OpenAI rejected the session request"
                                + (f.param() == null ? "" : " at " + f.param()) + upstreamSays
                                + "; check the " + "PARLEY_HOSTED_* settings and the state_variables sent");
            };
        };
        LOG.log(status == 429 || status >= 500 || f.kind() != HostedSessions.FailureKind.STATUS ? Level.WARNING : Level.ERROR,
                "Hosted session for workflow {0} failed: {1} -> {2} {3}", config.workflowId(), f.getMessage(),
                error.status(), error.code());
        return error;
    }

    private static String abbreviated(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
