package dev.parley.web.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One JSON object per line ({@code PARLEY_LOG_FORMAT=json}), for log shippers: {@code time}, {@code level},
 * {@code logger}, {@code message}, and when known {@code request_id}, {@code run_id}, {@code thread_id} (the chat
 * thread), {@code trace_id} and {@code span_id} (OpenTelemetry, so a log line leads to its trace), the JVM
 * thread as {@code java_thread}, and an {@code exception} with its stack trace. JSON escaping keeps a client's text
 * from breaking or forging a line, as the text format's escaping does.
 */
public final class JsonLogFormat extends Formatter {
    private static final JsonFactory JSON = new JsonFactory();

    /** Puts this format on every handler of the root logger (the console, unless the operator configured others). */
    public static void install() {
        for (Handler handler : Logger.getLogger("").getHandlers()) handler.setFormatter(new JsonLogFormat());
    }

    @Override
    public String format(LogRecord record) {
        var out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", record.getInstant().toString());
            json.writeStringField("level", record.getLevel().getName());
            json.writeStringField("logger", record.getLoggerName());
            json.writeStringField("message", formatMessage(record));
            LogContext context = LogContext.current();
            if (context != null) {
                field(json, "request_id", context.requestId());
                field(json, "run_id", context.runId());
                field(json, "thread_id", context.threadId());
            }
            SpanContext span = Span.current().getSpanContext();
            if (span.isValid()) {
                json.writeStringField("trace_id", span.getTraceId());
                json.writeStringField("span_id", span.getSpanId());
            }
            json.writeStringField("java_thread", Thread.currentThread().getName());
            if (record.getThrown() != null) {
                var trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                json.writeStringField("exception", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append(System.lineSeparator()).toString();
    }

    private static void field(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) json.writeStringField(name, value);
    }
}
