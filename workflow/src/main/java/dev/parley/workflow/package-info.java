/**
 * The workflow document model: a {@link dev.parley.workflow.Workflow} of {@link dev.parley.workflow.Node}s and
 * {@link dev.parley.workflow.Edge}s, read by {@link dev.parley.workflow.WorkflowParser}. It imports nothing of the
 * packages below it: {@code expr} (CEL and templates), {@code validate} (publish-time checks, producing a
 * {@link dev.parley.workflow.CompiledWorkflow}) and {@code engine} (publishing, and running a turn).
 */
package dev.parley.workflow;
