/**
 * The HTTP edge of Parley, on Helidon SE. This package holds only the wiring: {@link dev.parley.web.Main} reads
 * the settings ({@link dev.parley.web.config.Environment}) and starts a {@link dev.parley.web.ParleyServer},
 * which opens the stores, builds each route's service and mounts them. The routes live in sub-packages named
 * after what they do:
 *
 * <ul>
 *   <li>{@code chatkit}: {@code POST /chatkit}, the ChatKit protocol as JSON or server-sent events;
 *   <li>{@code session}: {@code POST /api/chatkit/session}, the session cookie and a short-lived client secret;
 *   <li>{@code hosted}: the same route in hosted mode, creating sessions at OpenAI;
 *   <li>{@code attachments}: uploads and previews behind signed links;
 *   <li>{@code admin}: the admin API, the server-side API for a host's backend, health, trace pruning;
 *   <li>{@code widget}: the chat widget's script and the demo page.
 * </ul>
 *
 * <p>Below them: {@code access} (CORS and rate limits, the filter every request meets first), {@code auth}
 * (client secrets, HMAC, revocation, the admin token), {@code http} (request reading, SSE framing, and
 * {@link dev.parley.web.http.ErrorResponses}, the one place an exception becomes an error response) and
 * {@code config} (every setting, the only code that reads the environment).
 */
package dev.parley.web;
