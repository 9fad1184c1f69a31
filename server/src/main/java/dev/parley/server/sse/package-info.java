/**
 * Server-sent event framing for ChatKit streams, independent of any HTTP stack: {@link
 * dev.parley.server.sse.SseEventWriter} writes a {@link dev.parley.server.Result.Stream} to an
 * {@link java.io.OutputStream}.
 */
package dev.parley.server.sse;
