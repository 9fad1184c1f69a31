package dev.parley.model.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.Category;
import dev.parley.model.ChatMessage;
import dev.parley.model.Completion;
import dev.parley.model.ModelException;
import dev.parley.model.ModelProvider;
import dev.parley.model.SchemaValidator;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import dev.parley.model.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The offline default provider: <strong>retrieval and classification, not a generative language model</strong>.
 * It needs no key and no network; the only model is the MiniLM sentence-embedding model packed in a Maven jar.
 *
 * <ul>
 *   <li>{@link #streamText} answers by quoting the passages of a knowledge base (the
 *       {@linkplain KnowledgeBases#defaultId() default one}) most similar to the user's message, with their
 *       sources, or says plainly that it cannot answer. It never writes new text. It cannot choose a tool's
 *       arguments, so offered {@linkplain dev.parley.model.TextRequest#tools() tools} are ignored and its
 *       completions never carry tool calls; refusing a workflow that depends on tools with this provider is the
 *       engine's job at publish time.</li>
 *   <li>{@link #structured} classifies zero-shot: a classifier node's message goes to the category whose
 *       description and examples it is most similar to, with a calibrated confidence and a reason naming the
 *       closest example. Other schemas are filled field by field (see {@link SchemaFiller}).</li>
 * </ul>
 *
 * <pre>{@code
 * ModelProvider model = EmbeddedProvider.open(null, dataDir.resolve("embeddings")); // the sample knowledge base
 * }</pre>
 *
 * Model settings (temperature, reasoning effort) and the model name are ignored. Safe for concurrent use.
 */
public final class EmbeddedProvider implements ModelProvider {
    public static final String NAME = "embedded";

    private static final String FAILED = "Sorry, something went wrong while answering. Please try again.";

    private final KnowledgeBases knowledge;
    private final ZeroShotClassifier classifier;
    private final KnowledgeAnswerer answerer;
    private final SchemaFiller filler;

    private EmbeddedProvider(KnowledgeBases knowledge, Embedder embedder) {
        this.knowledge = knowledge;
        this.classifier = new ZeroShotClassifier(embedder);
        String answerFrom = knowledge.defaultId();
        this.answerer = new KnowledgeAnswerer(() -> knowledge.get(answerFrom), embedder,
                KnowledgeAnswerer.INSTRUCTIONS_WEIGHT);
        this.filler = new SchemaFiller(classifier);
    }

    /**
     * Loads the embedding model (once per process) and the knowledge bases.
     *
     * @param knowledgeDir a folder of knowledge bases laid out as {@link KnowledgeBases} describes, or null for
     *                     the bundled sample knowledge of a small web agency
     * @param cacheDir     where passage embeddings are kept (a sub-folder per base) so that the next start embeds
     *                     only changed passages (created if missing); null to embed everything on every start
     * @throws java.io.UncheckedIOException when {@code knowledgeDir} is not a readable folder
     */
    public static EmbeddedProvider open(Path knowledgeDir, Path cacheDir) {
        return open(KnowledgeBases.open(knowledgeDir, cacheDir));
    }

    /** {@return a provider answering agent nodes from the {@linkplain KnowledgeBases#defaultId() default base}} */
    public static EmbeddedProvider open(KnowledgeBases knowledge) {
        return new EmbeddedProvider(knowledge, Embedder.shared());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@return the knowledge base answers are quoted from, as last indexed} */
    public KnowledgeBase knowledge() {
        return knowledge.current(knowledge.defaultId());
    }

    /** {@return every knowledge base, the one answers are quoted from among them} */
    public KnowledgeBases knowledgeBases() {
        return knowledge;
    }

    /**
     * Quotes the knowledge-base passages that best match the user's message, a sentence per delta. The
     * instructions only steer which passages win among near ties (they name the agent's speciality); the history
     * is used only when this turn's input is empty.
     */
    @Override
    public Completion streamText(TextRequest request, TextSink onDelta) {
        String question = words(question(request.input(), request.history()), "answer from the knowledge base");
        KnowledgeAnswerer.Answer answer = run(() -> answerer.answer(question, request.instructions()),
                "answer from the knowledge base");
        StringBuilder said = new StringBuilder();
        for (String delta : KnowledgeAnswerer.deltas(answer.text())) {
            said.append(delta);
            if (!onDelta.accept(delta)) return new Completion(said.toString(), Usage.NONE, answer.sources());
        }
        return new Completion(answer.text(), Usage.NONE, answer.sources());
    }

    /**
     * Classifies ({@code request.categories()} non-empty) or fills the schema field by field, then validates.
     *
     * @throws ModelException when the value does not satisfy the schema; the message names the failing path
     */
    @Override
    public StructuredCompletion structured(StructuredRequest request) {
        List<Category> categories = request.categories();
        String input = words(question(request.input(), request.history()),
                categories.isEmpty() ? "fill schema " + request.schemaName() : "classify the message");
        ZeroShotClassifier.Result preset = categories.isEmpty() ? null
                : run(() -> classifier.classify(input, categories), "classify the message");
        Set<String> presetNames = categories.stream().map(Category::name).collect(Collectors.toSet());
        Supplier<KnowledgeAnswerer.Answer> answer = memoised(() -> answerer.answer(input, request.instructions()));
        JsonNode value = run(() -> filler.fill(request.schema(),
                new SchemaFiller.Context(input, answer, preset, presetNames)), "fill the schema");

        List<String> violations = SchemaValidator.violations(request.schema(), value);
        if (!violations.isEmpty()) {
            throw new ModelException("The embedded provider (retrieval and classification, no generative model) "
                    + "could not fill schema " + request.schemaName() + ": " + String.join("; ", violations)
                    + ". Simplify the schema or configure a generative provider.",
                    "Sorry, I couldn't put that answer into the required format.", false, null);
        }
        return new StructuredCompletion(value, value.toString(), Usage.NONE);
    }

    private static String question(String input, List<ChatMessage> history) {
        if (input != null && !input.isBlank()) return input;
        for (ChatMessage m : history.reversed()) if (m.role() == ChatMessage.Role.USER) return m.text();
        return "";
    }

    /** Refuses a message with no words: embeddings of nothing mean nothing, and retrying would not help. */
    private static String words(String question, String what) {
        if (!question.isBlank()) return question;
        throw new ModelException("The embedded provider could not " + what + ": the message has no text (it reads "
                + "text only; attachments and empty messages give it nothing to go on)",
                "Please type your question in words: this assistant can only read text.", false, null);
    }

    private static <T> T run(Supplier<T> work, String what) {
        try {
            return work.get();
        } catch (ModelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelException("The embedded provider could not " + what + ": " + e.getMessage()
                    + " (" + e.getClass().getSimpleName() + ")", FAILED, true, e);
        }
    }

    private static <T> Supplier<T> memoised(Supplier<T> compute) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) value = compute.get();
                return value;
            }
        };
    }
}
