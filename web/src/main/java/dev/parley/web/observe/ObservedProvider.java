package dev.parley.web.observe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.parley.model.ChatMessage;
import dev.parley.model.Completion;
import dev.parley.model.HostedTool;
import dev.parley.model.ModelProvider;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import dev.parley.model.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A model provider that counts and traces every call of the one it wraps, then hands the call on unchanged:
 * metrics by provider, model and operation (calls, errors, tokens, latency), and a client span per call with the
 * OpenTelemetry GenAI attributes ({@code gen_ai.*}), a child of whatever span is current (the node's). Prompts and
 * replies go on the span only when {@code OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true}.
 */
final class ObservedProvider implements ModelProvider {
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> PARLEY_OPERATION = AttributeKey.stringKey("parley.model.operation");

    private final ModelProvider provider;
    private final String defaultModel;
    private final Metrics metrics;
    private final Tracing tracing;
    /** By operation, chat then structured: what every call counts, by model (see {@link Metrics.Memo}). */
    private final Metrics.Memo<CounterDataPoint>[] okCalls;
    private final Metrics.Memo<DistributionDataPoint>[] durations;

    /**
     * @param defaultModel the model a request that names none goes to (the provider's default), for labels
     * @param metrics      null when metrics are off
     * @param tracing      null when tracing is off
     */
    ObservedProvider(ModelProvider provider, String defaultModel, Metrics metrics, Tracing tracing) {
        this.provider = provider;
        this.defaultModel = defaultModel;
        this.metrics = metrics;
        this.tracing = tracing;
        okCalls = memos(metrics, (m, op) -> model -> m.modelCalls.labelValues(provider.name(), model, op, "ok"));
        durations = memos(metrics, (m, op) -> model -> m.modelDuration.labelValues(provider.name(), model, op));
        if (metrics != null) {
            // Errors show as a zero from the start, not as "no data" until the first one.
            for (String operation : new String[] {"chat", "structured"}) {
                metrics.modelErrors.initLabelValues(provider.name(), defaultModel, operation);
            }
            // Likewise tokens: a provider that reports none (the embedded one, echo) shows zero, not "no data".
            for (String direction : new String[] {"input", "output"}) {
                metrics.modelTokens.initLabelValues(provider.name(), defaultModel, direction);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <D> Metrics.Memo<D>[] memos(Metrics metrics,
            BiFunction<Metrics, String, Function<String, D>> lookUp) {
        if (metrics == null) return null;
        return new Metrics.Memo[] {new Metrics.Memo<>(lookUp.apply(metrics, "chat")),
                new Metrics.Memo<>(lookUp.apply(metrics, "structured"))};
    }

    @Override
    public String name() {
        return provider.name();
    }

    @Override
    public boolean callsFunctions() {
        return provider.callsFunctions();
    }

    @Override
    public boolean runs(HostedTool tool) {
        return provider.runs(tool);
    }

    @Override
    public Completion streamText(TextRequest request, TextSink onDelta) {
        String model = request.model() != null ? request.model() : defaultModel;
        Span span = start("chat", model, "chat");
        if (span != null && tracing.captureContent()) {
            span.setAttribute(SYSTEM_INSTRUCTIONS, request.instructions() == null ? "" : request.instructions());
            span.setAttribute(INPUT_MESSAGES, messages(request.history(), request.input()));
        }
        long start = System.nanoTime();
        var stopped = new boolean[1];
        TextSink sink = new TextSink() {
            @Override
            public boolean accept(String delta) {
                boolean more = onDelta.accept(delta);
                if (!more) stopped[0] = true;
                return more;
            }

            @Override
            public void hostedToolStarted(HostedTool tool) {
                onDelta.hostedToolStarted(tool);
            }
        };
        Completion completion;
        try {
            completion = provider.streamText(request, sink);
        } catch (RuntimeException e) {
            failed(span, model, "chat", start, e);
            throw e;
        }
        String finish = completion.wantsTools() ? "tool_calls" : stopped[0] ? "cancelled" : "stop";
        if (span != null && tracing.captureContent()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            out.addObject().put("role", "assistant").put("finish_reason", finish).putArray("parts").addObject()
                    .put("type", "text").put("content", completion.text());
            span.setAttribute(OUTPUT_MESSAGES, out.toString());
        }
        finished(span, model, "chat", start, completion.usage(), finish, stopped[0] ? "cancelled" : "ok");
        return completion;
    }

    @Override
    public StructuredCompletion structured(StructuredRequest request) {
        String model = request.model() != null ? request.model() : defaultModel;
        Span span = start("chat", model, "structured");
        if (span != null && tracing.captureContent()) {
            span.setAttribute(SYSTEM_INSTRUCTIONS, request.instructions() == null ? "" : request.instructions());
            span.setAttribute(INPUT_MESSAGES, messages(request.history(), request.input()));
        }
        long start = System.nanoTime();
        StructuredCompletion completion;
        try {
            completion = provider.structured(request);
        } catch (RuntimeException e) {
            failed(span, model, "structured", start, e);
            throw e;
        }
        if (span != null && tracing.captureContent()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            out.addObject().put("role", "assistant").put("finish_reason", "stop").putArray("parts").addObject()
                    .put("type", "text").put("content", completion.rawText());
            span.setAttribute(OUTPUT_MESSAGES, out.toString());
        }
        finished(span, model, "structured", start, completion.usage(), "stop", "ok");
        return completion;
    }

    private Span start(String operation, String model, String parleyOperation) {
        if (tracing == null) return null;
        return tracing.tracer().spanBuilder(operation + " " + model).setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION, operation)
                .setAttribute(SYSTEM, provider.name())
                .setAttribute(PROVIDER, provider.name())
                .setAttribute(REQUEST_MODEL, model)
                .setAttribute(PARLEY_OPERATION, parleyOperation)
                .startSpan();
    }

    private void finished(Span span, String model, String operation, long start, Usage usage, String finish,
            String outcome) {
        long took = System.nanoTime() - start;
        Usage used = usage == null ? Usage.NONE : usage;
        if (metrics != null) {
            int op = operation.equals("chat") ? 0 : 1;
            if (outcome.equals("ok")) okCalls[op].get(model).inc();
            else metrics.modelCalls.labelValues(provider.name(), model, operation, outcome).inc();
            durations[op].get(model).observe(Metrics.seconds(took));
            if (used.inputTokens() > 0) metrics.modelTokens.labelValues(provider.name(), model, "input").inc(used.inputTokens());
            if (used.outputTokens() > 0) metrics.modelTokens.labelValues(provider.name(), model, "output").inc(used.outputTokens());
        }
        if (span != null) {
            span.setAttribute(INPUT_TOKENS, used.inputTokens());
            span.setAttribute(OUTPUT_TOKENS, used.outputTokens());
            span.setAttribute(FINISH_REASONS, List.of(finish));
            span.end();
        }
    }

    private void failed(Span span, String model, String operation, long start, RuntimeException e) {
        if (metrics != null) {
            metrics.modelCalls.labelValues(provider.name(), model, operation, "error").inc();
            metrics.modelErrors.labelValues(provider.name(), model, operation).inc();
            metrics.modelDuration.labelValues(provider.name(), model, operation)
                    .observe(Metrics.seconds(System.nanoTime() - start));
        }
        if (span != null) {
            span.setAttribute(ERROR_TYPE, e.getClass().getSimpleName());
            // The operator's message (status, provider's words); never the user's text.
            span.setStatus(StatusCode.ERROR, e.getMessage() == null ? "" : e.getMessage());
            span.end();
        }
    }

    /** The GenAI conventions' message list: earlier turns, then this one, as JSON. */
    private static String messages(List<ChatMessage> history, String input) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (ChatMessage m : history) {
            out.addObject().put("role", m.role() == ChatMessage.Role.USER ? "user" : "assistant").putArray("parts")
                    .addObject().put("type", "text").put("content", m.text());
        }
        out.addObject().put("role", "user").putArray("parts").addObject().put("type", "text")
                .put("content", input == null ? "" : input);
        return out.toString();
    }
}
