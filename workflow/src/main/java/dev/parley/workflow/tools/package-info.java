/**
 * Tools a model can call during a turn. {@link dev.parley.workflow.tools.Tool} is what the tool loop sees; each
 * kind is one implementation: {@link dev.parley.workflow.tools.WebhookTool} posts the validated arguments, signed,
 * to a URL the deployment allows ({@link dev.parley.workflow.tools.WebhookPolicy});
 * {@link dev.parley.workflow.tools.FileSearchTool} searches Parley's knowledge bases;
 * {@link dev.parley.workflow.tools.McpTool} calls a tool of an MCP server reached through
 * {@link dev.parley.workflow.tools.McpServers} on a host {@link dev.parley.workflow.tools.McpHosts} allows. A failed
 * call is a {@link dev.parley.workflow.tools.ToolResult.Failed} value the model reads and recovers from, never an
 * exception that ends the turn. The formats are in {@code docs/tools.md}.
 */
package dev.parley.workflow.tools;
