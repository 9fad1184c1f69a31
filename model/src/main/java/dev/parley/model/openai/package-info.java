/**
 * Model providers for OpenAI ({@link dev.parley.model.openai.OpenAiProvider}, the Responses API) and for any
 * server that speaks OpenAI's Chat Completions ({@link dev.parley.model.openai.CompatibleProvider}: Ollama, vLLM,
 * llama.cpp's server), both on the official {@code openai-java} SDK.
 *
 * <pre>{@code
 * var openai = new OpenAiProvider(new OpenAiSettings(apiKey, null, "gpt-5-nano"));
 * var ollama = new CompatibleProvider(new OpenAiSettings(null, "http://localhost:11434/v1", "llama3.2"));
 * }</pre>
 *
 * <p>{@link dev.parley.model.openai.OpenAiSettings} is built once by the web module's configuration; nothing here
 * reads the environment. A request's {@code model} overrides the default per node. Every failure becomes a
 * {@link dev.parley.model.ModelException} whose message is for the operator (logged once, here, under
 * {@code dev.parley.model.openai}) and whose {@code userMessage()} is safe for the chat. Providers hold an HTTP
 * client: share one per configuration and close it at shutdown.
 */
package dev.parley.model.openai;
