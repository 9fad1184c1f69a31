/**
 * The workflow engine. {@link dev.parley.workflow.engine.Workflows} validates and publishes versions and loads a
 * folder of workflows; {@link dev.parley.workflow.engine.WorkflowResponder} is the dispatcher's responder: per
 * turn it picks the version (latest, or the one the {@link dev.parley.workflow.engine.SessionClaims} pin), and
 * {@link dev.parley.workflow.engine.WorkflowRun} walks the nodes, calling the model provider and streaming the
 * reply, then saves run state and trace in one commit.
 */
package dev.parley.workflow.engine;
