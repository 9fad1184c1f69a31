/**
 * Evals: a workflow measured on a dataset before it ships.
 *
 * <p>A {@link dev.parley.workflow.evals.Dataset} is JSON Lines, one {@link dev.parley.workflow.evals.EvalCase} per line,
 * each with {@link dev.parley.workflow.evals.Grader}s (a sealed set: route, category, contains/regex, JSON Schema,
 * must-decline, similarity, and the model-graded rubric, which is reported apart). The
 * {@link dev.parley.workflow.evals.EvalRunner} runs the cases through the engine on its own bounded pool;
 * {@link dev.parley.workflow.evals.EvalReport} summarises them; {@link dev.parley.workflow.evals.Comparison} sets two runs
 * side by side; {@link dev.parley.workflow.evals.Evals} keeps datasets and runs and publishes through a workflow's
 * {@link dev.parley.workflow.evals.GateSpec gate}. See docs/evals.md.
 */
package dev.parley.workflow.evals;
