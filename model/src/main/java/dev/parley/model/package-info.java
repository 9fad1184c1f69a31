/**
 * Model providers. {@link dev.parley.model.ModelProvider} is what a workflow's agent and classifier nodes call:
 * a streamed text completion, and a structured completion validated against a JSON Schema. Implementations
 * (OpenAI, OpenAI-compatible servers, the embedded offline default) live in subpackages.
 */
package dev.parley.model;
