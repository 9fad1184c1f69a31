package dev.parley.model.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.Category;
import dev.parley.model.ChatMessage;
import dev.parley.model.Completion;
import dev.parley.model.HostedTool;
import dev.parley.model.JsonText;
import dev.parley.model.ModelException;
import dev.parley.model.ModelProvider;
import dev.parley.model.SchemaValidator;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import dev.parley.model.Usage;
import java.nio.file.Path;
import java.util.ArrayList;
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
 *       {@linkplain KnowledgeBases#defaultId() default one}, or those of a request's
 *       {@link HostedTool.KnowledgeSearch}) most similar to the user's message, with their
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
    private final Embedder embedder;
    private final ZeroShotClassifier classifier;
    private final KnowledgeAnswerer answerer;
    private final SchemaFiller filler;

    private EmbeddedProvider(KnowledgeBases knowledge, Embedder embedder) {
        this.knowledge = knowledge;
        this.embedder = embedder;
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

    /** {@return true for {@link HostedTool.KnowledgeSearch} alone: searching Parley's knowledge bases is what it does} */
    @Override
    public boolean runs(HostedTool tool) {
        return switch (tool) {
            case HostedTool.KnowledgeSearch k -> true;
            case HostedTool.VectorStoreSearch v -> false;
            case HostedTool.WebSearch w -> false;
        };
    }

    /**
     * Quotes the knowledge-base passages that best match the user's message, a sentence per delta, or says it
     * cannot answer (see {@link Replier}: contact details are acknowledged instead, a message not in English is
     * told which language it can answer in). The instructions only steer which passages win among near ties (they
     * name the agent's speciality); the history lends a short follow-up ("how long would that take?") the subject
     * of the visitor's previous message, and stands in for an empty input.
     *
     * <p>A request with a {@link HostedTool.KnowledgeSearch} is answered from its knowledge bases instead of the
     * default one, weighing {@code maxResults} passages (several such tools: all their bases, the largest count);
     * the sink hears of the search before the answer. Other hosted tools are refused, not ignored.
     *
     * @throws ModelException not retryable, when the request carries a hosted tool other than a knowledge search,
     *     or names a knowledge base this server does not have
     */
    @Override
    public Completion streamText(TextRequest request, TextSink onDelta) {
        for (HostedTool tool : request.hostedTools()) {
            if (!runs(tool)) throw ModelException.hostedToolNotRun(NAME, tool);
        }
        String question = words(question(request.input(), request.history()), "answer from the knowledge base");
        HostedTool.KnowledgeSearch search = knowledgeSearch(request.hostedTools());
        KnowledgeAnswerer answerer = search == null ? this.answerer : answererFor(search);
        if (search != null) {
            onDelta.hostedToolStarted(request.hostedTools().stream()
                    .filter(HostedTool.KnowledgeSearch.class::isInstance).findFirst().orElseThrow());
        }
        Replier.Reply answer = run(() -> new Replier(answerer).reply(question, request.history(),
                request.instructions()), "answer from the knowledge base");
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
        return new StructuredCompletion(value, JsonText.of(value), Usage.NONE);
    }

    /** {@return the request's knowledge searches as one, or null when it has none} */
    private static HostedTool.KnowledgeSearch knowledgeSearch(List<HostedTool> tools) {
        List<String> ids = new ArrayList<>();
        int maxResults = 0;
        boolean any = false;
        for (HostedTool tool : tools) {
            if (!(tool instanceof HostedTool.KnowledgeSearch k)) continue;
            any = true;
            for (String id : k.knowledgeBases()) if (!ids.contains(id)) ids.add(id);
            maxResults = Math.max(maxResults, k.maxResults());
        }
        return any ? new HostedTool.KnowledgeSearch(ids, maxResults) : null;
    }

    private KnowledgeAnswerer answererFor(HostedTool.KnowledgeSearch search) {
        List<String> unknown = search.knowledgeBases().stream().filter(id -> !knowledge.has(id)).toList();
        if (search.knowledgeBases().isEmpty() || !unknown.isEmpty() || search.maxResults() < 1) {
            String problem = search.knowledgeBases().isEmpty() ? "names no knowledge base"
                    : !unknown.isEmpty() ? "names knowledge bases this server does not have: " + String.join(", ", unknown)
                    : "asks for " + search.maxResults() + " results (at least 1)";
            throw new ModelException("The embedded provider cannot run file_search over knowledge bases: the tool "
                    + problem + "; known: " + String.join(", ", knowledge.ids()),
                    "Sorry, this assistant is not set up to search its documents.", false, null);
        }
        List<String> ids = search.knowledgeBases();
        KnowledgeAnswerer.Searcher searcher = (rankBy, scoreBy, limit) -> knowledge.search(ids, rankBy, scoreBy, limit)
                .stream().map(h -> new KnowledgeBase.Passage(h.location(), h.title(), h.heading(), h.text(), h.score()))
                .toList();
        return new KnowledgeAnswerer(searcher, embedder, KnowledgeAnswerer.INSTRUCTIONS_WEIGHT,
                search.maxResults());
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
