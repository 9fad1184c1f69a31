package dev.parley.web.observe;

import dev.parley.web.config.ObservabilityConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK as the {@code OTEL_*} variables configure it: spans batched and exported over OTLP
 * (HTTP/protobuf, through the JDK's HttpClient) to the collector, W3C {@code traceparent} read from requests.
 * Built in code from {@link ObservabilityConfig.Tracing} rather than by the SDK's autoconfiguration, so the
 * environment is read once, by {@code web.config}, like every other setting. Not registered as the global
 * OpenTelemetry: each server (tests run several) has its own.
 */
final class Tracing implements AutoCloseable {
    static final String INSTRUMENTATION = "dev.parley";

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final boolean captureContent;

    Tracing(ObservabilityConfig.Tracing config, String serviceVersion) {
        // Reusable marshaling buffers: a traced turn makes about ten spans, and the garbage of serialising them
        // fresh for every export was a visible part of tracing's cost (bench/observability.sh).
        var exporter = OtlpHttpSpanExporter.builder().setEndpoint(config.endpoint().toString())
                .setMemoryMode(MemoryMode.REUSABLE_DATA);
        config.headers().forEach(exporter::addHeader);
        var resource = Attributes.builder()
                .put(AttributeKey.stringKey("service.name"), config.serviceName())
                .put(AttributeKey.stringKey("service.version"), serviceVersion);
        for (Map.Entry<String, String> e : config.resource().entrySet()) {
            if (!e.getKey().equals("service.name")) resource.put(AttributeKey.stringKey(e.getKey()), e.getValue());
        }
        provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(resource.build())))
                .setSampler(sampler(config.sampler(), config.ratio()))
                // Spans leave in batches from the SDK's own thread, at least every second: a request never waits on
                // the collector. Batches of up to 2048 spans (the SDK's default is 512) mean a quarter of the export
                // requests under load, each of which costs the same fixed HTTP work; the queue holds several batches.
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
                        .setScheduleDelay(Duration.ofSeconds(1)).setMaxExportBatchSize(2048).setMaxQueueSize(16384)
                        .build())
                .build();
        tracer = provider.get(INSTRUMENTATION, serviceVersion);
        captureContent = config.captureContent();
    }

    Tracer tracer() {
        return tracer;
    }

    boolean captureContent() {
        return captureContent;
    }

    static TextMapPropagator propagator() {
        return W3CTraceContextPropagator.getInstance();
    }

    private static Sampler sampler(String name, double ratio) {
        return switch (name) {
            case "always_on" -> Sampler.alwaysOn();
            case "always_off" -> Sampler.alwaysOff();
            case "traceidratio" -> Sampler.traceIdRatioBased(ratio);
            case "parentbased_always_off" -> Sampler.parentBased(Sampler.alwaysOff());
            case "parentbased_traceidratio" -> Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
            default -> Sampler.parentBased(Sampler.alwaysOn());
        };
    }

    /** Sends the spans still batched, waiting up to 5 seconds for the collector. */
    @Override
    public void close() {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }
}
