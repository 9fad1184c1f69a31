package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.stream.Collectors;

/**
 * The JSON rules of the ChatKit wire, in one place.
 *
 * <ul>
 *   <li>Field names are snake_case; null fields are left out; empty lists and objects are kept.
 *   <li>Unknown fields are ignored; an unknown {@code type} is an {@link InvalidRequestException} that lists
 *       the valid ones.
 *   <li>Timestamps are written as ISO-8601 without an offset, in UTC, with microseconds
 *       ({@code 2025-10-14T12:34:56.123456}), as the reference server writes them; any ISO-8601 form is read.
 *   <li>Fields in the {@link Internal} view (attachment and thread {@code metadata}) are written to storage
 *       only, never to a client.
 * </ul>
 */
public final class ChatKitJson {
    /** Marks fields that only the server may see. */
    public interface Internal {}

    /** The view used for anything a client receives. */
    public interface Wire {}

    private static final DateTimeFormatter WRITE_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

    /**
     * Jackson's default keeps each thread's buffers in a thread-local, and every request here runs on a new
     * virtual thread: each turn allocated fresh buffers (~20 KB) and an idle stream kept its set alive. A pool
     * shared by all threads lends buffers for the length of one write; 64 covers every carrier at once.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(64))
            .build();

    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .defaultPropertyInclusion(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(MapperFeature.DEFAULT_VIEW_INCLUSION)
            .addModule(new BlackbirdModule())
            .addModule(new SimpleModule("chatkit")
                    .addSerializer(Instant.class, new InstantSerializer())
                    .addDeserializer(Instant.class, new InstantDeserializer())
                    .addSerializer(new PageSerializer()))
            .build();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    private static final ObjectReader REQUEST_READER = MAPPER.readerFor(ChatKitRequest.class);
    private static final ObjectWriter EVENT_WRITER =
            MAPPER.writerFor(ThreadStreamEvent.class).withView(Wire.class);
    private static final ObjectWriter WIRE_WRITER = MAPPER.writer().withView(Wire.class);

    private ChatKitJson() {}

    /** {@return the shared mapper: snake_case, nulls left out, unknown fields ignored, storage view} */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@return a new empty JSON object} */
    public static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** {@return the current time at the precision the wire carries (microseconds)} */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** {@return the timestamp in wire form} */
    public static String formatTime(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
        int year = d.getYear();
        // Every event and listed thread carries a time, and the general formatter was a twentieth of a list
        // request; the pattern is fixed, so four-digit years are written digit by digit.
        if (year < 0 || year > 9999) return WRITE_FORMAT.format(d);
        char[] out = "0000-00-00T00:00:00.000000".toCharArray();
        digits(out, 0, 4, year);
        digits(out, 5, 2, d.getMonthValue());
        digits(out, 8, 2, d.getDayOfMonth());
        digits(out, 11, 2, d.getHour());
        digits(out, 14, 2, d.getMinute());
        digits(out, 17, 2, d.getSecond());
        digits(out, 20, 6, d.getNano() / 1000);
        return new String(out);
    }

    private static void digits(char[] out, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The general formatter, for tests comparing it with {@link #formatTime}. */
    static String formatTimeGeneric(Instant t) {
        return WRITE_FORMAT.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }

    /**
     * Parses a request envelope.
     *
     * @throws InvalidRequestException when the body is not JSON, names an unknown {@code type}, or lacks or
     *     mistypes a parameter; the message names the field and what it should be
     */
    public static ChatKitRequest readRequest(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidRequestException(
                    "invalid_json", "The request body is empty; send a JSON object {\"type\": ..., \"params\": {...}}");
        }
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) first++;
        if (first < body.length && body[first] != '{') {
            throw new InvalidRequestException("invalid_json", "The request body must be a JSON object");
        }
        try {
            ChatKitRequest request = REQUEST_READER.readValue(body);
            if (request == null) {
                throw new InvalidRequestException("invalid_json", "The request body must be a JSON object");
            }
            return request;
        } catch (InvalidTypeIdException e) {
            String given = e.getTypeId();
            String prefix = given == null ? "The request has no \"type\"" : "Unknown request type \"" + given + "\"";
            throw new InvalidRequestException(
                    given == null ? "missing_type" : "unknown_type",
                    prefix + "; valid types are: " + String.join(", ", ChatKitRequest.TYPES));
        } catch (ValueInstantiationException e) {
            throw explain(e);
        } catch (InvalidFormatException e) {
            throw new InvalidRequestException(
                    "invalid_params", path(e) + " has an invalid value " + quote(e.getValue()) + hint(e));
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                throw new InvalidRequestException("invalid_json", "The request body must be a JSON object");
            }
            throw new InvalidRequestException(
                    "invalid_params", path(e) + " must be " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw explain(e);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(
                    "invalid_json", "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InvalidRequestException explain(JsonMappingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidRequestException ire) return ire;
            if (t instanceof NullPointerException) {
                return new InvalidRequestException("invalid_params", path(e) + " must not contain null");
            }
        }
        return new InvalidRequestException("invalid_params", path(e) + ": " + e.getOriginalMessage());
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return p.isEmpty() ? "The request" : p;
    }

    private static String hint(InvalidFormatException e) {
        Class<?> t = e.getTargetType();
        if (t != null && t.isEnum()) {
            return "; use one of: " + java.util.Arrays.stream(t.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(java.util.Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        return "; expected " + describe(t);
    }

    private static String quote(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    private static String describe(Class<?> t) {
        if (t == null) return "a different type";
        if (t == String.class) return "a string";
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) return "an integer";
        if (t == Boolean.class || t == boolean.class) return "true or false";
        if (java.util.Collection.class.isAssignableFrom(t)) return "an array";
        if (t.isEnum()) return "one of the allowed strings";
        return "an object";
    }

    /** Writes a value as compact JSON in the client's view (no server-only fields). */
    public static byte[] writeWire(Object value) {
        try {
            return WIRE_WRITER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getName(), e);
        }
    }

    /** Writes one stream event as compact JSON in the client's view. */
    public static byte[] writeEvent(ThreadStreamEvent event) {
        var bytes = new java.io.ByteArrayOutputStream(256);
        try {
            writeEvent(event, bytes);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialise " + event.getClass().getName(), e);
        }
        return bytes.toByteArray();
    }

    /** Writes one stream event as compact JSON in the client's view to a stream. */
    public static void writeEvent(ThreadStreamEvent event, OutputStream out) throws IOException {
        if (event instanceof ThreadStreamEvent.ItemUpdated(String itemId, ThreadItemUpdate.TextDelta(int index, String delta))
                && itemId != null && delta != null) {
            DeltaFrames.write(itemId, index, delta, out);
            return;
        }
        if (AssistantFrames.write(event, out)) return;
        writeEventGeneric(event, out);
    }

    /** The data-binding path every event can take; tests compare the fast path against it. */
    static void writeEventGeneric(ThreadStreamEvent event, OutputStream out) throws IOException {
        EVENT_WRITER.writeValue(new NonClosing(out), event);
    }

    /** {@return the value as JSON with every field, server-only ones included, for storage} */
    public static String writeStorage(Object value) {
        String framed = AssistantFrames.storage(value);
        return framed != null ? framed : writeStorageGeneric(value);
    }

    /** The data-binding path every stored value can take; tests compare the hand-written frames against it. */
    static String writeStorageGeneric(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getName(), e);
        }
    }

    /**
     * {@return the tree as compact JSON} Use this rather than {@code JsonNode.toString()}, whose mapper keeps its
     * buffers per thread: on virtual threads that allocated a new set for every turn and held it while the
     * stream stayed open.
     */
    public static String writeTree(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a JSON tree", e);
        }
    }

    /**
     * {@return a stored value read back from its UTF-8 bytes} Lists read rows this way: the parser works on the
     * bytes as the database returns them, with no string decoded first, and each type's reader is made once.
     */
    public static <T> T readStorage(byte[] json, Class<T> type) {
        try {
            return STORAGE_READERS.get(type).readValue(json);
        } catch (IOException e) {
            throw new IllegalStateException("Stored JSON does not match " + type.getSimpleName(), e);
        }
    }

    private static final ClassValue<ObjectReader> STORAGE_READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return MAPPER.readerFor(type);
        }
    };

    /** {@return a stored value read back} */
    public static <T> T readStorage(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON does not match " + type.getSimpleName(), e);
        }
    }

    private static final class InstantSerializer extends StdSerializer<Instant> {
        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(formatTime(value));
        }
    }

    /**
     * A page's records are a generic list, so Jackson would write them without their {@code type}; each one is
     * written with its own class's serializer instead, which carries the type id of a sealed family.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class PageSerializer extends StdSerializer<Page> {
        PageSerializer() {
            super(Page.class);
        }

        @Override
        public void serialize(Page page, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeArrayFieldStart("data");
            for (Object record : page.data()) {
                provider.findTypedValueSerializer(record.getClass(), true, null).serialize(record, gen, provider);
            }
            gen.writeEndArray();
            gen.writeBooleanField("has_more", page.hasMore());
            if (page.after() != null) gen.writeStringField("after", page.after());
            gen.writeEndObject();
        }
    }

    private static final class InstantDeserializer extends StdDeserializer<Instant> {
        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = p.getValueAsString();
            if (s == null) return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            Instant fast = parseWireFormat(s);
            if (fast != null) return fast;
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e2) {
                    return (Instant) ctxt.handleWeirdStringValue(Instant.class, s, "not an ISO-8601 date-time");
                }
            }
        }
    }

    /**
     * {@return the instant of a timestamp in exactly the form we write, or null for any other form}. Stored
     * records are read far more often than anything else is parsed, and the general parsers cost most of it.
     */
    static Instant parseWireFormat(String s) {
        if (s.length() != 26 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != '.') {
            return null;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2), micros = digits(s, 20, 6);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || micros < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Jackson closes the target by default; an SSE response must stay open between events. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {}
    }
}
