package dev.parley.model.openai;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.parley.model.ChatMessage;
import dev.parley.model.Completion;
import dev.parley.model.HostedTool;
import dev.parley.model.ModelProvider;
import dev.parley.model.ModelSettings;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import dev.parley.model.ToolCall;
import dev.parley.model.ToolExchange;
import dev.parley.model.ToolSpec;
import dev.parley.model.Usage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Completions from any server that speaks OpenAI's Chat Completions ({@code POST <base>/chat/completions}):
 * Ollama, vLLM, llama.cpp's server, LM Studio.
 *
 * <pre>{@code
 * var provider = new CompatibleProvider(new OpenAiSettings(null, "http://localhost:11434/v1", "llama3.2"));
 * }</pre>
 *
 * <p>Text streams chunk by chunk until {@code [DONE]}. Structured output asks for
 * {@code response_format: json_schema}; a server that rejects that with a 400 is asked again with
 * {@code json_object} and the schema in the system message, and is not offered {@code json_schema} for that
 * model again. Either way the output is validated and gets one repair attempt.
 *
 * <p>Offered tools go out as function tools; calls streamed as {@code delta.tool_calls} pieces are assembled and
 * returned as {@link Completion#toolCalls()}. A request's exchanges follow the input as one assistant message
 * carrying the calls and one {@code tool} message per output.
 *
 * <p>It runs no {@linkplain HostedTool hosted tools}: Chat Completions servers have none, and a request carrying
 * one is refused (not retryable, naming the tool and the provider that runs it) rather than answered without it.
 */
public final class CompatibleProvider implements ModelProvider, AutoCloseable {
    private final OpenAiSettings settings;
    private final OpenAIClient client;
    private final Failures failures;
    private final Set<String> streamingRefused = ConcurrentHashMap.newKeySet();
    private final Set<String> noJsonSchema = ConcurrentHashMap.newKeySet();
    /** Null: every node's model is sent as it is named. */
    private final ModelNames names;
    /** What the server listed at {@code /v1/models}; null until {@link #checkModels()} succeeded. */
    private volatile Set<String> served;

    /**
     * A provider that sends each node's model as it is named (the default for nodes that name none).
     *
     * @throws IllegalArgumentException when the settings name no server ({@code OPENAI_BASE_URL})
     */
    public CompatibleProvider(OpenAiSettings settings) {
        this(settings, null);
    }

    /**
     * A provider that sends a node's model only when the server serves it, and otherwise what {@code names} maps
     * it to: workflows written for OpenAI then run on a local server unchanged. Call {@link #checkModels()} once to
     * learn what the server serves.
     *
     * @throws IllegalArgumentException when the settings name no server ({@code OPENAI_BASE_URL})
     */
    public CompatibleProvider(OpenAiSettings settings, ModelNames names) {
        this.names = names;
        if (settings.baseUrl() == null) {
            throw new IllegalArgumentException("The openai-compatible provider needs OPENAI_BASE_URL, the server's "
                    + "/v1 URL, such as http://localhost:11434/v1 for Ollama or http://localhost:8000/v1 for vLLM");
        }
        this.settings = settings;
        this.client = Clients.open(settings);
        this.failures = new Failures("The model server at " + settings.baseUrl(), settings.timeout(),
                settings.maxRetries());
    }

    /** The outcome of {@link #checkModels()}: whether requests can be answered, and what to tell the operator. */
    public record ModelCheck(boolean ok, String message) {}

    /**
     * Asks the server which models it serves ({@code GET <base>/models}, no retries), remembers the answer for
     * choosing models, and {@return what to tell the operator}: the models and where workflow names go, or what
     * does not fit and how to fix it, or that the server could not be asked (then a node's model is sent only when
     * mapped, and the default otherwise).
     */
    public ModelCheck checkModels() {
        ModelNames names = this.names != null ? this.names : new ModelNames(settings.defaultModel(), Map.of());
        String where = "The model server at " + settings.baseUrl();
        List<String> ids;
        try {
            ids = client.withOptions(o -> o.maxRetries(0)).models().list().data().stream()
                    .map(com.openai.models.models.Model::id).toList();
        } catch (OpenAIException | IllegalStateException e) {
            return new ModelCheck(false, where + " could not be asked for its models (" + Failures.describe(e)
                    + "); is it running? Requests go to model '" + names.defaultModel() + "' (PARLEY_MODEL) unless "
                    + ModelNames.MAP_SETTING + " maps a workflow's model");
        }
        served = Set.copyOf(ids);
        String problem = names.problemWith(ids);
        if (problem != null) return new ModelCheck(false, where + " cannot answer as configured: " + problem);
        return new ModelCheck(true, where + " serves " + String.join(", ", ids) + "; workflow models it does not serve"
                + (names.mapping().isEmpty() ? "" : " and " + ModelNames.MAP_SETTING + " does not map") + " are sent as '"
                + names.defaultModel() + "' (PARLEY_MODEL)");
    }

    /** {@return the model to ask the server for on behalf of a node naming {@code requested}} */
    String modelFor(String requested) {
        return names == null ? settings.modelFor(requested) : names.resolve(requested, served);
    }

    @Override
    public boolean callsFunctions() {
        return true;
    }

    @Override
    public String name() {
        return "openai-compatible";
    }

    @Override
    public Completion streamText(TextRequest request, TextSink onDelta) {
        String model = modelFor(request.model());
        for (HostedTool tool : request.hostedTools()) if (!runs(tool)) throw failures.notRun(name(), tool);
        if (!streamingRefused.contains(model)) {
            StreamResponse<ChatCompletionChunk> stream;
            try {
                stream = client.chat().completions().createStreaming(textParams(request, model)
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build());
            } catch (OpenAIException e) {
                // Only OpenAI itself says this, for a compatible provider pointed at api.openai.com.
                if (!Failures.streamingNeedsVerification(e)) throw failures.of(e, model);
                streamingRefused.add(model);
                Failures.info("The server will not stream model '" + model + "' until the organization is verified ("
                        + Failures.providerMessage((OpenAIServiceException) e) + "); answering without streaming");
                return whole(textParams(request, model), model, onDelta);
            }
            return relay(stream, onDelta);
        }
        return whole(textParams(request, model), model, onDelta);
    }

    @Override
    public StructuredCompletion structured(StructuredRequest request) {
        String model = modelFor(request.model());
        return StructuredOutput.produce(request, model, failures, repair -> {
            ChatCompletion reply = null;
            BadRequestException refusedSchema = null;
            if (!noJsonSchema.contains(model)) {
                try {
                    reply = client.chat().completions().create(
                            conversation(request, model, repair, false).responseFormat(jsonSchema(request)).build());
                } catch (BadRequestException e) {
                    refusedSchema = e;
                } catch (OpenAIException e) {
                    throw failures.of(e, model);
                }
            }
            if (reply == null) {
                reply = create(conversation(request, model, repair, true)
                        .responseFormat(ResponseFormatJsonObject.builder().build()).build(), model);
                // Remembered only once json_object worked, so a 400 for another reason is not mistaken for this.
                if (refusedSchema != null && noJsonSchema.add(model)) {
                    Failures.info("The model server at " + settings.baseUrl() + " rejected json_schema output for model '"
                            + model + "' (" + Failures.providerMessage(refusedSchema)
                            + "); asking for json_object with the schema in the instructions from now on");
                }
            }
            return new StructuredOutput.Reply(text(reply, model), usage(reply));
        });
    }

    /** Releases the HTTP client's connections and threads. */
    @Override
    public void close() {
        client.close();
    }

    private Completion relay(StreamResponse<ChatCompletionChunk> stream, TextSink onDelta) {
        StringBuilder text = new StringBuilder();
        PendingCalls calls = new PendingCalls();
        boolean finished = false;
        Usage usage = Usage.NONE;
        try (stream) {
            Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
            while (chunks.hasNext()) {
                ChatCompletionChunk chunk = chunks.next();
                // With include_usage the last chunk before [DONE] has no choices and carries the totals.
                if (chunk.usage().isPresent()) usage = usage(chunk.usage().get());
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    if (choice.index() != 0) continue;
                    String delta = choice.delta().content().orElse("");
                    if (!delta.isEmpty()) {
                        text.append(delta);
                        // Stopped by the listener: closing the stream (try-with-resources) ends the request.
                        if (!Failures.deliver(onDelta, delta)) return new Completion(text.toString(), usage);
                    }
                    choice.delta().toolCalls().ifPresent(calls::add);
                    if (choice.finishReason().isPresent()) finished = true;
                }
            }
        } catch (Failures.Downstream e) {
            throw e.unwrap();
        } catch (OpenAIServiceException e) {
            throw failures.reported("reported an error mid-stream", e.code().orElse(null),
                    Failures.providerMessage(e), true);
        } catch (RuntimeException e) {
            throw failures.cut(text.length(), e);
        }
        // [DONE] ends a cut stream as quietly as a whole one; only the finish_reason tells them apart.
        if (!finished) throw failures.cut(text.length(), null);
        // Whatever the finish_reason: some servers (older Ollama) end a turn of calls with "stop", not "tool_calls".
        return new Completion(text.toString(), usage, List.of(), calls.done());
    }

    /** Calls streamed in pieces: each chunk names its call by index; id and name come first, arguments in parts. */
    private static final class PendingCalls {
        private record Parts(StringBuilder id, StringBuilder name, StringBuilder arguments) {}

        private final Map<Long, Parts> byIndex = new TreeMap<>();

        void add(List<ChatCompletionChunk.Choice.Delta.ToolCall> pieces) {
            for (var piece : pieces) {
                Parts call = byIndex.computeIfAbsent(piece.index(),
                        i -> new Parts(new StringBuilder(), new StringBuilder(), new StringBuilder()));
                piece.id().ifPresent(call.id()::append);
                piece.function().ifPresent(f -> {
                    f.name().ifPresent(call.name()::append);
                    f.arguments().ifPresent(call.arguments()::append);
                });
            }
        }

        List<ToolCall> done() {
            List<ToolCall> calls = new ArrayList<>(byIndex.size());
            // A server that sends no id (some llama.cpp builds) still needs one to pair the output with the call.
            byIndex.forEach((index, c) -> calls.add(new ToolCall(c.id().isEmpty() ? "call_" + index : c.id().toString(),
                    c.name().toString(), c.arguments().toString())));
            return calls;
        }
    }

    private Completion whole(ChatCompletionCreateParams.Builder params, String model, TextSink onDelta) {
        ChatCompletion reply = create(params.build(), model);
        List<ToolCall> calls = new ArrayList<>();
        if (!reply.choices().isEmpty()) {
            for (ChatCompletionMessageToolCall call : reply.choices().get(0).message().toolCalls().orElse(List.of())) {
                call.function().ifPresent(f -> calls.add(
                        new ToolCall(f.id(), f.function().name(), f.function().arguments())));
            }
        }
        String text = calls.isEmpty() ? text(reply, model) : reply.choices().get(0).message().content().orElse("");
        if (!text.isEmpty()) onDelta.accept(text);
        return new Completion(text, usage(reply), List.of(), calls);
    }

    private ChatCompletion create(ChatCompletionCreateParams params, String model) {
        try {
            return client.chat().completions().create(params);
        } catch (OpenAIException e) {
            throw failures.of(e, model);
        }
    }

    private String text(ChatCompletion reply, String model) {
        if (reply.choices().isEmpty()) throw failures.reported("sent no choices", null, "empty reply", true);
        var message = reply.choices().get(0).message();
        String text = message.content().orElse("");
        if (text.isEmpty() && message.refusal().isPresent()) throw failures.refused(model, message.refusal().get());
        return text;
    }

    private static ChatCompletionCreateParams.Builder textParams(TextRequest request, String model) {
        ChatCompletionCreateParams.Builder b =
                messages(base(model, request.settings()), request.instructions(), request.history(), request.input());
        for (ToolSpec tool : request.tools()) b.addTool(functionTool(tool));
        if (request.exchanges().isEmpty()) return b;
        // The turn's calls as one assistant message, then their outputs: the calls of several rounds are not told
        // apart, which every server accepts, and the model sees each output paired with its call by id.
        ChatCompletionAssistantMessageParam.Builder calls = ChatCompletionAssistantMessageParam.builder();
        for (ToolExchange e : request.exchanges()) {
            calls.addToolCall(ChatCompletionMessageFunctionToolCall.builder()
                    .id(e.call().id())
                    .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                            .name(e.call().name()).arguments(e.call().arguments()).build())
                    .build());
        }
        b.addMessage(calls.build());
        for (ToolExchange e : request.exchanges()) {
            b.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(e.call().id()).content(e.output()).build());
        }
        return b;
    }

    private static ChatCompletionFunctionTool functionTool(ToolSpec tool) {
        Map<String, JsonValue> schema = new LinkedHashMap<>();
        tool.parameters().fields().forEachRemaining(f -> schema.put(f.getKey(), JsonValue.fromJsonNode(f.getValue())));
        FunctionDefinition.Builder function = FunctionDefinition.builder()
                .name(tool.name())
                .parameters(FunctionParameters.builder().additionalProperties(schema).build());
        if (!tool.description().isEmpty()) function.description(tool.description());
        // Chat Completions defaults strict to false, so it is only sent when it means something.
        if (StrictSchema.eligible(tool.parameters())) function.strict(true);
        return ChatCompletionFunctionTool.builder().function(function.build()).build();
    }

    private ChatCompletionCreateParams.Builder conversation(StructuredRequest request, String model,
            StructuredOutput.Repair repair, boolean schemaInInstructions) {
        String instructions = request.instructions();
        if (schemaInInstructions) {
            String schema = StructuredOutput.schemaInstruction(request);
            instructions = instructions == null || instructions.isBlank() ? schema : instructions + "\n\n" + schema;
        }
        ChatCompletionCreateParams.Builder b =
                messages(base(model, request.settings()), instructions, request.history(), request.input());
        if (repair != null) b.addAssistantMessage(repair.previous()).addUserMessage(repair.feedback());
        return b;
    }

    private static ResponseFormatJsonSchema jsonSchema(StructuredRequest request) {
        Map<String, JsonValue> fields = new LinkedHashMap<>();
        request.schema().fields().forEachRemaining(f -> fields.put(f.getKey(), JsonValue.fromJsonNode(f.getValue())));
        return ResponseFormatJsonSchema.builder()
                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name(StructuredOutput.wireName(request))
                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder().additionalProperties(fields).build())
                        .strict(StrictSchema.eligible(request.schema()))
                        .build())
                .build();
    }

    private static ChatCompletionCreateParams.Builder base(String model, ModelSettings s) {
        ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder().model(model);
        if (s.temperature() != null) b.temperature(s.temperature());
        if (s.topP() != null) b.topP(s.topP());
        // max_tokens, not max_completion_tokens: the one every compatible server understands.
        if (s.maxOutputTokens() != null) b.maxTokens(s.maxOutputTokens().longValue());
        if (s.reasoningEffort() != null && !s.reasoningEffort().isBlank()) {
            b.reasoningEffort(ReasoningEffort.of(s.reasoningEffort().strip()));
        }
        return b;
    }

    private static ChatCompletionCreateParams.Builder messages(ChatCompletionCreateParams.Builder b,
            String instructions, List<ChatMessage> history, String input) {
        if (instructions != null && !instructions.isBlank()) b.addSystemMessage(instructions);
        for (ChatMessage m : history) {
            if (m.role() == ChatMessage.Role.USER) b.addUserMessage(m.text());
            else b.addAssistantMessage(m.text());
        }
        return b.addUserMessage(input == null ? "" : input);
    }

    private static Usage usage(ChatCompletion reply) {
        return reply.usage().map(CompatibleProvider::usage).orElse(Usage.NONE);
    }

    private static Usage usage(com.openai.models.completions.CompletionUsage u) {
        return new Usage(u.promptTokens(), u.completionTokens());
    }
}
