/**
 * Moving in from OpenAI's Agent Builder: its workflow JSON ({@code "object": "workflow"}, {@code builtins.*} nodes)
 * and the Agents SDK code its export produces (Python, TypeScript) become Parley workflow documents, with a report
 * of everything that was mapped, changed or could not be carried over. See docs/migrating-from-agent-builder.md.
 */
package dev.parley.workflow.agentbuilder;
