/**
 * The HTTP edge of Parley, on Helidon SE: {@link dev.parley.web.Main} reads a {@link dev.parley.web.ParleyConfig}
 * from the environment and starts a {@link dev.parley.web.ParleyServer}, which serves
 *
 * <ul>
 *   <li>{@code POST /api/chatkit/session}: a session cookie and a short-lived client secret
 *       ({@link dev.parley.web.ClientSecrets});
 *   <li>{@code POST /chatkit}: the ChatKit protocol, as JSON or server-sent events, for the user the client
 *       secret names;
 *   <li>{@code PUT|POST /chatkit/attachments/{id}/upload} and {@code GET /chatkit/attachments/{id}/preview}:
 *       attachment bytes, behind signed links ({@link dev.parley.web.DiskAttachmentStore});
 *   <li>{@code GET /healthz}.
 * </ul>
 *
 * <p>Every error is {@code {"error":{"code":…,"message":…}}} with a fitting status; stack traces stay in the
 * server log.
 */
package dev.parley.web;
