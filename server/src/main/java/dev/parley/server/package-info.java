/**
 * The ChatKit dispatcher. {@link dev.parley.server.ChatKitServer#process} takes a request body and the
 * {@link dev.parley.server.RequestContext} of the user it acts for, and answers with a
 * {@link dev.parley.server.Result}: one JSON document, or an event stream. Streams run the respond pipeline:
 * a {@link dev.parley.server.Responder} produces the assistant's events and the pipeline stores what they
 * finish, forwards what the client may see, and cleans up when the client goes away.
 */
package dev.parley.server;
