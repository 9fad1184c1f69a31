package dev.parley.web.observe;

import dev.parley.model.ModelProvider;
import dev.parley.server.EventSink;
import dev.parley.store.CommitListener;
import dev.parley.web.config.ObservabilityConfig;
import dev.parley.workflow.engine.RunObserver;
import io.helidon.webserver.http.Filter;
import java.util.Optional;

/**
 * Metrics, traces and log context for one server, as {@link ObservabilityConfig} sets them up, handed out as the
 * small seams the rest of the server already has: a {@link RunObserver} for the workflow engine, a wrapped
 * {@link ModelProvider}, a {@link CommitListener} for the store, a request {@link Filter} and a {@link TurnWatcher}
 * for streams. Whatever is off hands out the no-op seam, so a server with everything off pays nothing but a
 * few interface calls.
 *
 * <pre>{@code
 * try (Observability observability = Observability.start(ObservabilityConfig.defaults(), "0.1.0")) {
 *     ModelProvider watched = observability.observe(provider, "gpt-5-nano");
 * }
 * }</pre>
 */
public final class Observability implements AutoCloseable {
    private final ObservabilityConfig config;
    private final Metrics metrics;
    private final Tracing tracing;

    private Observability(ObservabilityConfig config, Metrics metrics, Tracing tracing) {
        this.config = config;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /**
     * Starts what {@code config} turns on: the metrics registry, and the OpenTelemetry SDK with its exporter.
     *
     * @param version Parley's version, as {@code service.version} on spans
     */
    public static Observability start(ObservabilityConfig config, String version) {
        Metrics metrics = config.metrics() ? new Metrics() : null;
        Tracing tracing = config.tracing() == null ? null : new Tracing(config.tracing(), version);
        return new Observability(config, metrics, tracing);
    }

    /** As {@link #start(ObservabilityConfig, String)}, with the version in Parley's jar manifest ({@code dev} outside it). */
    public static Observability start(ObservabilityConfig config) {
        String version = Observability.class.getPackage().getImplementationVersion();
        return start(config, version == null ? "dev" : version);
    }

    /** {@return observability with everything off} */
    public static Observability off() {
        return new Observability(ObservabilityConfig.off(), null, null);
    }

    /** {@return the settings this was started with} */
    public ObservabilityConfig config() {
        return config;
    }

    /** {@return the metrics, when on} */
    public Optional<Metrics> metrics() {
        return Optional.ofNullable(metrics);
    }

    /** {@return whether spans are recorded and exported} */
    public boolean tracing() {
        return tracing != null;
    }

    /** {@return what watches workflow runs} */
    public RunObserver runs() {
        if (metrics == null && tracing == null && !config.jsonLogs()) return RunObserver.NONE;
        return new EngineObserver(metrics, tracing, config.jsonLogs());
    }

    /**
     * {@return {@code provider}, counted and traced}; the same provider when both are off
     *
     * @param defaultModel the model requests that name none go to, for labels and spans
     */
    public ModelProvider observe(ModelProvider provider, String defaultModel) {
        if (metrics == null && tracing == null) return provider;
        return new ObservedProvider(provider, defaultModel == null ? provider.name() : defaultModel, metrics, tracing);
    }

    /** {@return what the store tells of its commits} */
    public CommitListener commits() {
        if (metrics == null) return CommitListener.NONE;
        return (writes, nanos) -> {
            metrics.commitDuration.observe(Metrics.seconds(nanos));
            metrics.commitWrites.observe(writes);
        };
    }

    /** {@return the filter every request passes first, or empty when nothing watches requests} */
    public Optional<Filter> requests() {
        if (metrics == null && tracing == null && !config.accessLog() && !config.jsonLogs()) return Optional.empty();
        return Optional.of(new HttpObserver(metrics, tracing, config.accessLog()));
    }

    /** {@return what watches chat turns' streams} */
    public TurnWatcher turns() {
        if (metrics == null) return TurnWatcher.NONE;
        Metrics m = metrics;
        return (EventSink sink, String type, long startNanos) -> new WatchedStream(sink, m, type, startNanos);
    }

    /** Exports the spans still waiting. */
    @Override
    public void close() {
        if (tracing != null) tracing.close();
    }
}
