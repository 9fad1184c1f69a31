package dev.parley.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An OpenTelemetry collector's OTLP/HTTP traces endpoint on loopback: it decodes each export with the OTLP proto
 * classes, as a real collector does, and keeps the spans and the resource they came with.
 */
final class StandInCollector implements AutoCloseable {
    /** One received span, its ids in the lowercase hex of W3C trace context. */
    record Received(String traceId, String spanId, String parentSpanId, String name, Span.SpanKind kind,
            Map<String, AnyValue> attributes, Map<String, AnyValue> resource, io.opentelemetry.proto.trace.v1.Status status) {
        String string(String key) {
            AnyValue v = attributes.get(key);
            return v == null ? null : v.getStringValue();
        }

        Long number(String key) {
            AnyValue v = attributes.get(key);
            return v == null ? null : v.getIntValue();
        }

        List<String> strings(String key) {
            AnyValue v = attributes.get(key);
            return v == null ? null : v.getArrayValue().getValuesList().stream().map(AnyValue::getStringValue).toList();
        }
    }

    private final HttpServer server;
    private final List<Received> spans = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    StandInCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/traces", this::export);
        server.start();
    }

    /** {@return the base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it} */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    private void export(HttpExchange exchange) throws IOException {
        try (exchange) {
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            var request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
            for (ResourceSpans rs : request.getResourceSpansList()) {
                Map<String, AnyValue> resource = map(rs.getResource().getAttributesList());
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span s : ss.getSpansList()) {
                        spans.add(new Received(hex(s.getTraceId().toByteArray()), hex(s.getSpanId().toByteArray()),
                                hex(s.getParentSpanId().toByteArray()), s.getName(), s.getKind(),
                                map(s.getAttributesList()), resource, s.getStatus()));
                    }
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) exchange.getResponseBody().write(answer);
        }
    }

    /** {@return the spans received so far, once {@code until} holds for them, waiting up to 15 s} */
    List<Received> await(Predicate<List<Received>> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            List<Received> now = List.copyOf(spans);
            if (until.test(now)) return now;
            Thread.sleep(50);
        }
        throw new AssertionError("The collector did not receive the expected spans; it has: "
                + spans.stream().map(Received::name).collect(Collectors.joining(", ")));
    }

    private static Map<String, AnyValue> map(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue, (a, b) -> b));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
