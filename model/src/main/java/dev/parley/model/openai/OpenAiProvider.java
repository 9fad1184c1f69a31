package dev.parley.model.openai;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseError;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import dev.parley.model.ChatMessage;
import dev.parley.model.Completion;
import dev.parley.model.HostedTool;
import dev.parley.model.ModelException;
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
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Completions from OpenAI's Responses API ({@code POST /v1/responses}) through the official SDK.
 *
 * <pre>{@code
 * var provider = new OpenAiProvider(new OpenAiSettings(apiKey, null, "gpt-5-nano"));
 * provider.streamText(new TextRequest(null, "Be brief.", List.of(), "Hello", null), System.out::print);
 * }</pre>
 *
 * <p>Text streams piece by piece. When OpenAI refuses to stream a model because the organization is not
 * verified, the provider asks again without streaming, hands the reply on whole, and stops trying to stream
 * that model. Structured output uses a {@code json_schema} text format ({@code strict} when the schema allows
 * it), is validated, and gets one repair attempt. 429, 5xx and connection failures are retried by the SDK
 * ({@link OpenAiSettings#maxRetries()}). Failures surface as {@link ModelException}, logged once.
 *
 * <p>Offered tools go out as function tools ({@code strict} when the schema allows it); the function calls in a
 * response come back as {@link Completion#toolCalls()}, and a request's exchanges go out after the input as
 * {@code function_call} and {@code function_call_output} items, each call followed by its output.
 *
 * <p>Hosted tools go out beside them: a {@link HostedTool.VectorStoreSearch} as a {@code file_search} tool, a
 * {@link HostedTool.WebSearch} as {@code web_search}. OpenAI runs those searches inside the response; the sink hears
 * of each as it starts ({@link TextSink#hostedToolStarted}), and the answer's {@code file_citation} and
 * {@code url_citation} annotations come back as {@link Completion#sources()}. Knowledge bases are not searched here:
 * Parley offers them to this provider as a function tool it runs itself.
 */
public final class OpenAiProvider implements ModelProvider, AutoCloseable {
    private final OpenAiSettings settings;
    private final OpenAIClient client;
    private final Failures failures;
    private final Set<String> streamingRefused = ConcurrentHashMap.newKeySet();

    /** @throws IllegalArgumentException when the settings carry no API key ({@code OPENAI_API_KEY}) */
    public OpenAiProvider(OpenAiSettings settings) {
        if (settings.apiKey() == null) {
            throw new IllegalArgumentException("The openai provider needs OPENAI_API_KEY; create a key at "
                    + "https://platform.openai.com/api-keys, or choose another provider");
        }
        this.settings = settings;
        this.client = Clients.open(settings);
        this.failures = new Failures(settings.baseUrl() == null ? "OpenAI" : "OpenAI at " + settings.baseUrl(),
                settings.timeout(), settings.maxRetries());
    }

    @Override
    public boolean callsFunctions() {
        return true;
    }

    @Override
    public boolean runs(HostedTool tool) {
        return switch (tool) {
            case HostedTool.VectorStoreSearch v -> true;
            case HostedTool.WebSearch w -> true;
            case HostedTool.KnowledgeSearch k -> false;
        };
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public Completion streamText(TextRequest request, TextSink onDelta) {
        String model = settings.modelFor(request.model());
        for (HostedTool tool : request.hostedTools()) if (!runs(tool)) throw failures.notRun(name(), tool);
        List<ResponseInputItem> input = items(request.history(), request.input(), null);
        for (ToolExchange e : request.exchanges()) {
            // No item id: sent without the reasoning item that came before it, an fc_ id is refused.
            input.add(ResponseInputItem.ofFunctionCall(ResponseFunctionToolCall.builder()
                    .callId(e.call().id()).name(e.call().name()).arguments(e.call().arguments()).build()));
            input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                    .callId(e.call().id()).output(e.output()).build()));
        }
        ResponseCreateParams.Builder builder = base(model, request.instructions(), request.settings())
                .inputOfResponse(input);
        for (ToolSpec tool : request.tools()) builder.addTool(functionTool(tool));
        HostedCalls.offer(builder, request.hostedTools());
        ResponseCreateParams params = builder.build();
        HostedCalls hosted = new HostedCalls(request.hostedTools(), onDelta);
        if (!streamingRefused.contains(model)) {
            StreamResponse<ResponseStreamEvent> stream;
            try {
                stream = client.responses().createStreaming(params);
            } catch (OpenAIException e) {
                if (!Failures.streamingNeedsVerification(e)) throw failures.of(e, model);
                streamingRefused.add(model);
                Failures.info("OpenAI will not stream model '" + model + "' until the organization is verified ("
                        + Failures.providerMessage((OpenAIServiceException) e) + "); answering without streaming");
                return whole(params, model, onDelta, hosted);
            }
            return relay(stream, model, onDelta, hosted);
        }
        return whole(params, model, onDelta, hosted);
    }

    @Override
    public StructuredCompletion structured(StructuredRequest request) {
        String model = settings.modelFor(request.model());
        ResponseFormatTextJsonSchemaConfig format = ResponseFormatTextJsonSchemaConfig.builder()
                .name(StructuredOutput.wireName(request))
                .schema(ResponseFormatTextJsonSchemaConfig.Schema.builder()
                        .additionalProperties(schemaFields(request))
                        .build())
                .strict(StrictSchema.eligible(request.schema()))
                .build();
        return StructuredOutput.produce(request, model, failures, repair -> {
            ResponseCreateParams params = base(model, request.instructions(), request.settings())
                    .inputOfResponse(items(request.history(), request.input(), repair))
                    .text(ResponseTextConfig.builder().format(format).build())
                    .build();
            Response response = create(params, model);
            return new StructuredOutput.Reply(outputText(response, model), usage(response));
        });
    }

    /** Releases the HTTP client's connections and threads. */
    @Override
    public void close() {
        client.close();
    }

    private Completion relay(StreamResponse<ResponseStreamEvent> stream, String model, TextSink onDelta,
            HostedCalls hosted) {
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        try (stream) {
            Iterator<ResponseStreamEvent> events = stream.stream().iterator();
            while (events.hasNext()) {
                ResponseStreamEvent event = events.next();
                if (event.outputTextDelta().isPresent()) {
                    String delta = event.outputTextDelta().get().delta();
                    text.append(delta);
                    if (!Failures.deliver(onDelta, delta)) {
                        return new Completion(text.toString(), Usage.NONE, hosted.sources());
                    }
                } else if (event.outputTextAnnotationAdded().isPresent()) {
                    hosted.cited(event.outputTextAnnotationAdded().get());
                } else if (event.outputItemAdded().isPresent()) {
                    hosted.opened(event.outputItemAdded().get().item());
                } else if (event.fileSearchCallInProgress().isPresent()) {
                    hosted.fileSearchInProgress(event.fileSearchCallInProgress().get().itemId());
                } else if (event.webSearchCallInProgress().isPresent()) {
                    hosted.webSearchInProgress(event.webSearchCallInProgress().get().itemId());
                } else if (event.outputItemDone().isPresent()) {
                    var item = event.outputItemDone().get().item();
                    if (item.isFunctionCall()) calls.add(toolCall(item.asFunctionCall()));
                    else hosted.finished(item);
                } else if (event.completed().isPresent()) {
                    Response response = event.completed().get().response();
                    // The finished response lists every call and citation too: a stream that skipped the item or
                    // annotation events loses none.
                    if (calls.isEmpty()) calls.addAll(toolCalls(response));
                    hosted.citedIn(response);
                    return new Completion(text.toString(), usage(response), hosted.sources(), calls);
                } else if (event.incomplete().isPresent()) {
                    Response response = event.incomplete().get().response();
                    // A reply cut short by max_output_tokens or a content filter is still a reply; say why in the log.
                    Failures.LOG.log(Level.WARNING, "Model '" + model + "' stopped early ("
                            + response.incompleteDetails().flatMap(d -> d.reason()).map(Object::toString).orElse("unknown")
                            + ") after " + text.length() + " characters");
                    hosted.citedIn(response);
                    return new Completion(text.toString(), usage(response), hosted.sources(), calls);
                } else if (event.failed().isPresent()) {
                    throw failed(event.failed().get().response());
                } else if (event.error().isPresent()) {
                    var error = event.error().get();
                    throw failures.reported("reported an error mid-stream", error.code().orElse(null), error.message(),
                            true);
                }
            }
        } catch (ModelException e) {
            throw e;
        } catch (Failures.Downstream e) {
            throw e.unwrap();
        } catch (OpenAIServiceException e) {
            throw failures.reported("reported an error mid-stream", e.code().orElse(null),
                    Failures.providerMessage(e), true);
        } catch (RuntimeException e) {
            throw failures.cut(text.length(), e);
        }
        throw failures.cut(text.length(), null);
    }

    private Completion whole(ResponseCreateParams params, String model, TextSink onDelta, HostedCalls hosted) {
        Response response = create(params, model);
        // The searches are over by now; the sink still hears of them, in order, before the text they led to.
        try {
            for (var item : response.output()) hosted.opened(item);
        } catch (Failures.Downstream e) {
            throw e.unwrap();
        }
        List<ToolCall> calls = toolCalls(response);
        String text = calls.isEmpty() ? outputText(response, model) : textBeforeCalls(response);
        if (!text.isEmpty()) onDelta.accept(text);
        hosted.citedIn(response);
        return new Completion(text, usage(response), hosted.sources(), calls);
    }

    private static List<ToolCall> toolCalls(Response response) {
        List<ToolCall> calls = new ArrayList<>();
        for (var item : response.output()) if (item.isFunctionCall()) calls.add(toolCall(item.asFunctionCall()));
        return calls;
    }

    private static ToolCall toolCall(ResponseFunctionToolCall call) {
        return new ToolCall(call.callId(), call.name(), call.arguments());
    }

    // A model that calls tools may say something first; a refusal cannot come with calls, so none is looked for.
    private static String textBeforeCalls(Response response) {
        StringBuilder text = new StringBuilder();
        for (var item : response.output()) {
            if (!item.isMessage()) continue;
            for (ResponseOutputMessage.Content part : item.asMessage().content()) {
                if (part.isOutputText()) text.append(part.asOutputText().text());
            }
        }
        return text.toString();
    }

    private static FunctionTool functionTool(ToolSpec tool) {
        Map<String, JsonValue> schema = new java.util.LinkedHashMap<>();
        tool.parameters().fields().forEachRemaining(f -> schema.put(f.getKey(), JsonValue.fromJsonNode(f.getValue())));
        // strict is sent either way: the Responses API takes a missing strict as true and would refuse the schema.
        return FunctionTool.builder()
                .name(tool.name())
                .description(tool.description())
                .parameters(FunctionTool.Parameters.builder().additionalProperties(schema).build())
                .strict(StrictSchema.eligible(tool.parameters()))
                .build();
    }

    private Response create(ResponseCreateParams params, String model) {
        Response response;
        try {
            response = client.responses().create(params);
        } catch (OpenAIException e) {
            throw failures.of(e, model);
        }
        if (response.error().isPresent()) throw failed(response);
        return response;
    }

    private ModelException failed(Response response) {
        ResponseError error = response.error().orElse(null);
        String code = error == null ? null : error.code().toString();
        boolean retryable = code == null || code.equals("server_error") || code.equals("rate_limit_exceeded");
        return failures.reported("failed the response", code, error == null ? "no details" : error.message(),
                retryable);
    }

    private String outputText(Response response, String model) {
        StringBuilder text = new StringBuilder();
        String refusal = null;
        for (var item : response.output()) {
            if (!item.isMessage()) continue;
            for (ResponseOutputMessage.Content part : item.asMessage().content()) {
                if (part.isOutputText()) text.append(part.asOutputText().text());
                else if (part.isRefusal()) refusal = part.asRefusal().refusal();
            }
        }
        if (text.isEmpty() && refusal != null) throw failures.refused(model, refusal);
        return text.toString();
    }

    private static ResponseCreateParams.Builder base(String model, String instructions, ModelSettings s) {
        ResponseCreateParams.Builder b = ResponseCreateParams.builder().model(model);
        if (instructions != null && !instructions.isBlank()) b.instructions(instructions);
        // Only what the node set is sent: reasoning models reject temperature and top_p.
        if (s.temperature() != null) b.temperature(s.temperature());
        if (s.topP() != null) b.topP(s.topP());
        if (s.maxOutputTokens() != null) b.maxOutputTokens(s.maxOutputTokens().longValue());
        if (s.reasoningEffort() != null && !s.reasoningEffort().isBlank()) {
            b.reasoning(Reasoning.builder().effort(ReasoningEffort.of(s.reasoningEffort().strip())).build());
        }
        return b;
    }

    private static List<ResponseInputItem> items(List<ChatMessage> history, String input, StructuredOutput.Repair repair) {
        List<ResponseInputItem> items = new ArrayList<>(history.size() + 3);
        for (ChatMessage m : history) {
            items.add(message(m.role() == ChatMessage.Role.USER ? EasyInputMessage.Role.USER
                    : EasyInputMessage.Role.ASSISTANT, m.text()));
        }
        items.add(message(EasyInputMessage.Role.USER, input == null ? "" : input));
        if (repair != null) {
            items.add(message(EasyInputMessage.Role.ASSISTANT, repair.previous()));
            items.add(message(EasyInputMessage.Role.USER, repair.feedback()));
        }
        return items;
    }

    private static ResponseInputItem message(EasyInputMessage.Role role, String text) {
        return ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(role).content(text).build());
    }

    private static Map<String, JsonValue> schemaFields(StructuredRequest request) {
        Map<String, JsonValue> fields = new java.util.LinkedHashMap<>();
        request.schema().fields().forEachRemaining(f -> fields.put(f.getKey(), JsonValue.fromJsonNode(f.getValue())));
        return fields;
    }

    private static Usage usage(Response response) {
        return response.usage().map(u -> new Usage(u.inputTokens(), u.outputTokens())).orElse(Usage.NONE);
    }
}
