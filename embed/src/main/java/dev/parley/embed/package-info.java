/**
 * Parley as a library: {@link dev.parley.embed.Parley} assembles a store, the workflow engine and the ChatKit
 * dispatcher for a host application that brings its own HTTP server and its own login. A host writes a JSON answer
 * as it is, a stream with {@link dev.parley.server.sse.SseEventWriter}, and a refusal with
 * {@link dev.parley.embed.ErrorResponse}. See {@code docs/library.md}.
 */
package dev.parley.embed;
