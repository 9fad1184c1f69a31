/**
 * The ChatKit wire model, as Java records under sealed interfaces.
 *
 * <p>One file per family: {@link dev.parley.protocol.ChatKitRequest} (what a client may ask),
 * {@link dev.parley.protocol.ThreadItem} (what a thread holds), {@link dev.parley.protocol.ThreadStreamEvent}
 * and {@link dev.parley.protocol.ThreadItemUpdate} (what a streamed response carries),
 * {@link dev.parley.protocol.Attachment}. {@link dev.parley.protocol.ChatKitJson} is the only place that knows
 * the JSON rules: snake_case names, null fields left out, unknown fields ignored, server-only fields never
 * written to a client.
 */
package dev.parley.protocol;
