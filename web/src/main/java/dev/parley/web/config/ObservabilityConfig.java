package dev.parley.web.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How Parley shows itself to an operator's tools: Prometheus metrics, OpenTelemetry traces, the log format and
 * the access log. See {@code docs/observability.md}.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>Variable</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>PARLEY_METRICS</td><td>true</td><td>{@code false} turns metrics (and {@code /metrics}) off</td></tr>
 *   <tr><td>PARLEY_METRICS_PORT</td><td>(none)</td><td>serve {@code /metrics} on this management port, without a
 *       token; unset, it is served on the main port behind {@code PARLEY_ADMIN_TOKEN}</td></tr>
 *   <tr><td>PARLEY_LOG_FORMAT</td><td>text</td><td>{@code json}: one JSON object per line</td></tr>
 *   <tr><td>PARLEY_ACCESS_LOG</td><td>true</td><td>one log line per HTTP request</td></tr>
 *   <tr><td>OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</td><td>(none: tracing off)</td>
 *       <td>where spans go, OTLP over HTTP/protobuf</td></tr>
 *   <tr><td>OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER(_ARG),
 *       OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_PROTOCOL</td><td></td><td>as the OpenTelemetry
 *       specification defines them</td></tr>
 *   <tr><td>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT</td><td>false</td><td>put prompts and replies on
 *       model spans</td></tr>
 * </table>
 *
 * @param metrics     whether metrics are collected and served
 * @param metricsPort the management port for {@code /metrics}, or -1 to serve it on the main port behind the admin
 *                    token (0 picks a free port, for tests)
 * @param jsonLogs    whether log lines are JSON objects
 * @param accessLog   whether each HTTP request is logged
 * @param tracing     the OpenTelemetry settings, or null when tracing is off
 */
public record ObservabilityConfig(boolean metrics, int metricsPort, boolean jsonLogs, boolean accessLog,
        Tracing tracing) {
    public static final String METRICS = "PARLEY_METRICS";
    public static final String METRICS_PORT = "PARLEY_METRICS_PORT";
    public static final String LOG_FORMAT = "PARLEY_LOG_FORMAT";
    public static final String ACCESS_LOG = "PARLEY_ACCESS_LOG";
    public static final String OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public static final String OTLP_TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public static final String OTLP_HEADERS = "OTEL_EXPORTER_OTLP_HEADERS";
    public static final String OTLP_PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public static final String SERVICE_NAME = "OTEL_SERVICE_NAME";
    public static final String RESOURCE_ATTRIBUTES = "OTEL_RESOURCE_ATTRIBUTES";
    public static final String SAMPLER = "OTEL_TRACES_SAMPLER";
    public static final String SAMPLER_ARG = "OTEL_TRACES_SAMPLER_ARG";
    public static final String SDK_DISABLED = "OTEL_SDK_DISABLED";
    public static final String TRACES_EXPORTER = "OTEL_TRACES_EXPORTER";
    public static final String CAPTURE_CONTENT = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    /** The samplers of the OpenTelemetry specification's {@code OTEL_TRACES_SAMPLER}. */
    public static final List<String> SAMPLERS = List.of("always_on", "always_off", "traceidratio",
            "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio");

    private static final EnvReader.Rule<Integer> PORT_RULE =
            EnvReader.Rule.intRange(METRICS_PORT, 0, 65535, "a port from 1 to 65535 (unset: /metrics on the main port)");

    /**
     * Where and how spans are exported (OTLP over HTTP/protobuf).
     *
     * @param endpoint       the full traces URL, such as {@code http://collector:4318/v1/traces}
     * @param headers        sent with every export (an API key, for instance)
     * @param serviceName    {@code service.name} of every span
     * @param resource       further resource attributes
     * @param sampler        one of {@link #SAMPLERS}
     * @param ratio          the sampled fraction for the ratio samplers, 0 to 1
     * @param captureContent whether prompts and replies go on model spans
     */
    public record Tracing(URI endpoint, Map<String, String> headers, String serviceName, Map<String, String> resource,
            String sampler, double ratio, boolean captureContent) {
        public Tracing {
            Objects.requireNonNull(endpoint, "endpoint");
            headers = Map.copyOf(headers);
            resource = Map.copyOf(resource);
            if (!SAMPLERS.contains(sampler)) {
                throw new IllegalArgumentException(SAMPLER + " must be one of " + String.join(", ", SAMPLERS)
                        + ", got \"" + sampler + "\"");
            }
            if (!(ratio >= 0 && ratio <= 1)) throw new IllegalArgumentException(SAMPLER_ARG + " must be from 0 to 1");
        }

        /** {@return spans of every request to {@code endpoint} (a traces URL), contents left out} */
        public static Tracing to(URI endpoint) {
            return new Tracing(endpoint, Map.of(), "parley", Map.of(), "parentbased_always_on", 1.0, false);
        }

        public Tracing withCaptureContent(boolean capture) {
            return new Tracing(endpoint, headers, serviceName, resource, sampler, ratio, capture);
        }
    }

    public ObservabilityConfig {
        if (metricsPort != -1) PORT_RULE.check(metricsPort);
    }

    /** {@return metrics on (on the main port, behind the admin token), text logs with an access log, no tracing} */
    public static ObservabilityConfig defaults() {
        return new ObservabilityConfig(true, -1, false, true, null);
    }

    /** {@return everything off: no metrics, no access log, no tracing} */
    public static ObservabilityConfig off() {
        return new ObservabilityConfig(false, -1, false, false, null);
    }

    public ObservabilityConfig withMetrics(boolean on) {
        return new ObservabilityConfig(on, metricsPort, jsonLogs, accessLog, tracing);
    }

    public ObservabilityConfig withMetricsPort(int port) {
        return new ObservabilityConfig(metrics, port, jsonLogs, accessLog, tracing);
    }

    public ObservabilityConfig withAccessLog(boolean on) {
        return new ObservabilityConfig(metrics, metricsPort, jsonLogs, on, tracing);
    }

    public ObservabilityConfig withTracing(Tracing tracing) {
        return new ObservabilityConfig(metrics, metricsPort, jsonLogs, accessLog, tracing);
    }

    /**
     * {@return the settings the variables describe}
     *
     * @throws IllegalArgumentException naming every variable that has a bad value and what it should be
     */
    public static ObservabilityConfig fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        var reader = new EnvReader(env, problems);
        boolean metrics = reader.read(METRICS, true, ParleyConfig::parseBoolean, "true or false");
        int port = reader.read(PORT_RULE, -1);
        boolean json = reader.read(LOG_FORMAT, false, s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "json" -> true;
            case "text" -> false;
            default -> throw new IllegalArgumentException();
        }, "text or json");
        boolean access = reader.read(ACCESS_LOG, true, ParleyConfig::parseBoolean, "true or false");
        Tracing tracing = tracing(env, reader, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid configuration:\n  " + String.join("\n  ", problems));
        }
        return new ObservabilityConfig(metrics, port, json, access, tracing);
    }

    /** {@return the tracing settings, or null when no endpoint is set or the variables turn the SDK off} */
    private static Tracing tracing(Map<String, String> env, EnvReader reader, List<String> problems) {
        boolean disabled = reader.read(SDK_DISABLED, false, ParleyConfig::parseBoolean, "true or false");
        String exporter = reader.read(TRACES_EXPORTER, "otlp", s -> {
            if (!s.equals("otlp") && !s.equals("none")) throw new IllegalArgumentException();
            return s;
        }, "otlp or none (Parley exports traces over OTLP only)");
        reader.read(OTLP_PROTOCOL, "http/protobuf", s -> {
            if (!s.equals("http/protobuf")) throw new IllegalArgumentException();
            return s;
        }, "http/protobuf (Parley exports over HTTP; point it at the collector's port 4318, not gRPC's 4317)");
        URI traces = reader.read(OTLP_TRACES_ENDPOINT, null, ObservabilityConfig::httpUrl, "an http(s) URL such as "
                + "http://collector:4318/v1/traces");
        URI base = reader.read(OTLP_ENDPOINT, null, ObservabilityConfig::httpUrl, "an http(s) URL such as "
                + "http://collector:4318");
        Map<String, String> headers = reader.read(OTLP_HEADERS, Map.of(), ObservabilityConfig::pairs,
                "comma-separated key=value pairs, e.g. api-key=…,team=chat");
        String service = reader.read(SERVICE_NAME, "parley", s -> s);
        Map<String, String> resource = reader.read(RESOURCE_ATTRIBUTES, Map.of(), ObservabilityConfig::pairs,
                "comma-separated key=value pairs, e.g. deployment.environment=prod");
        String sampler = reader.read(SAMPLER, "parentbased_always_on", s -> {
            String name = s.toLowerCase(Locale.ROOT);
            if (!SAMPLERS.contains(name)) throw new IllegalArgumentException();
            return name;
        }, "one of " + String.join(", ", SAMPLERS));
        double ratio = reader.read(SAMPLER_ARG, 1.0, s -> {
            double r = Double.parseDouble(s);
            if (!(r >= 0 && r <= 1)) throw new IllegalArgumentException();
            return r;
        }, "a fraction from 0 to 1, e.g. 0.25");
        boolean capture = reader.read(CAPTURE_CONTENT, false, ParleyConfig::parseBoolean, "true or false");
        if (disabled || exporter.equals("none") || (traces == null && base == null) || !problems.isEmpty()) return null;
        // The specification's rule: the general endpoint gets the signal's path appended, the per-signal one is used as is.
        URI endpoint = traces != null ? traces : URI.create(base.toString().replaceAll("/+$", "") + "/v1/traces");
        return new Tracing(endpoint, headers, service, resource, sampler, ratio, capture);
    }

    private static URI httpUrl(String s) {
        URI uri = URI.create(s);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException();
        }
        return uri;
    }

    /** Reads the specification's {@code key=value,key2=value2} lists (values may be percent-encoded). */
    private static Map<String, String> pairs(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : s.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException();
            out.put(pair.substring(0, eq).strip(),
                    java.net.URLDecoder.decode(pair.substring(eq + 1).strip(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }
}
