/**
 * Tools a model can call during a turn. {@link dev.parley.workflow.tools.Tool} is what the tool loop sees;
 * {@link dev.parley.workflow.tools.WebhookTool} is the one that runs on the host's backend: Parley posts the
 * validated arguments, signed, to a URL the deployment allows ({@link dev.parley.workflow.tools.WebhookPolicy}),
 * and gives the model the answer. A failed call is a {@link dev.parley.workflow.tools.ToolResult.Failed} value
 * the model reads and recovers from, never an exception that ends the turn. The format for hosts is in
 * {@code docs/tools.md}.
 */
package dev.parley.workflow.tools;
