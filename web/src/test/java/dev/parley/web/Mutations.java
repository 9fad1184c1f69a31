package dev.parley.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns valid requests into malformed ones for {@link FuzzTest}, each mutation named so a failure says what was
 * sent. Everything is drawn from the given {@link Random}, so a seed reproduces a run.
 */
final class Mutations {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String CRLF = "\r\n";
    private static final String DEEP_MARKER = "\u0001deeply nested\u0001";
    private static final int DEEP = 2_000;

    private final Random random;

    Mutations(Random random) {
        this.random = random;
    }

    /** A mutated body and the names of the mutations applied. */
    record Body(byte[] bytes, String how) {
        String shown() {
            String text = new String(bytes, StandardCharsets.UTF_8);
            return how + ": " + (text.length() > 300 ? text.substring(0, 300) + "…(" + bytes.length + " bytes)" : text);
        }
    }

    // ---- JSON -------------------------------------------------------------------------------------------

    /** {@return {@code valid} with one to three mutations of its tree, its bytes or the whole body} */
    Body json(JsonNode valid) {
        if (random.nextInt(10) == 0) return wholeBody();
        JsonNode tree = valid.deepCopy();
        List<String> how = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) tree = mutateTree(tree, how);
        // Jackson will not write nesting deeper than 1000, so deep nesting goes in as text.
        String deep = "[".repeat(DEEP) + "]".repeat(DEEP);
        byte[] bytes = tree.toString().replace("\"" + DEEP_MARKER + "\"", deep).getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(4) == 0) bytes = mutateBytes(bytes, how);
        return new Body(bytes, String.join(", ", how));
    }

    private Body wholeBody() {
        String[] bodies = {"", "null", "[]", "42", "\"threads.list\"", "{}", "{\"type\":null}", "\uFEFF{}",
                "[".repeat(100_000), "{\"a\":".repeat(5_000), "{\"type\":\"threads.list\"}{\"type\":\"threads.list\"}"};
        String body = bodies[random.nextInt(bodies.length)];
        return new Body(body.getBytes(StandardCharsets.UTF_8), "whole body");
    }

    private JsonNode mutateTree(JsonNode root, List<String> how) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots, 0);
        if (slots.isEmpty()) return root;
        Slot slot = slots.get(random.nextInt(slots.size()));
        switch (random.nextInt(4)) {
            case 0 -> {
                JsonNode weird = weird();
                slot.set(weird);
                how.add("set " + slot.path + " to " + describe(weird));
            }
            case 1 -> {
                if (slot.remove()) how.add("remove " + slot.path);
            }
            case 2 -> {
                if (slot.parent instanceof ObjectNode o) {
                    o.set("unexpected_" + random.nextInt(100), weird());
                    how.add("add a field next to " + slot.path);
                }
            }
            default -> {
                slot.set(slot.parent instanceof ObjectNode o && slot.key != null ? swapType(o.get(slot.key)) : weird());
                how.add("change the type of " + slot.path);
            }
        }
        return root;
    }

    /** {@return a value of another JSON type than {@code node}} */
    private JsonNode swapType(JsonNode node) {
        if (node == null) return NODES.nullNode();
        if (node.isTextual()) return random.nextBoolean() ? NODES.numberNode(7) : NODES.arrayNode().add(node.asText());
        if (node.isNumber()) return NODES.textNode(node.asText() + "x");
        if (node.isObject()) return NODES.arrayNode().add(node);
        if (node.isArray()) return NODES.objectNode().set("0", node);
        return NODES.textNode("true");
    }

    private JsonNode weird() {
        return switch (random.nextInt(18)) {
            case 0 -> NODES.numberNode(-1);
            case 1 -> NODES.numberNode(Long.MAX_VALUE);
            case 2 -> NODES.numberNode(new BigInteger("1" + "0".repeat(40)));
            case 3 -> NODES.numberNode(new BigDecimal("1e400"));
            case 4 -> NODES.numberNode(-0.5);
            case 5 -> NODES.textNode("");
            case 6 -> NODES.textNode("nul\u0000byte");
            case 7 -> NODES.textNode("x".repeat(200_000));
            case 8 -> NODES.textNode("threads.explode");
            case 9 -> NODES.textNode("<script>alert(1)</script> ‮ 😀");
            case 10 -> NODES.booleanNode(random.nextBoolean());
            case 11 -> NODES.nullNode();
            case 12 -> NODES.arrayNode();
            case 13 -> NODES.objectNode();
            case 14 -> NODES.textNode(DEEP_MARKER);
            case 15 -> NODES.textNode("2147483648");
            case 16 -> NODES.textNode("../../etc/passwd");
            default -> NODES.numberNode(Integer.MIN_VALUE);
        };
    }

    private static String describe(JsonNode node) {
        String s = node.toString();
        return s.length() > 60 ? s.substring(0, 60) + "…(" + s.length() + " chars)" : s;
    }

    /** Byte-level damage that no tree can express. */
    private byte[] mutateBytes(byte[] bytes, List<String> how) {
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        return switch (random.nextInt(6)) {
            case 0 -> {
                how.add("truncate at " + at);
                yield java.util.Arrays.copyOf(bytes, at);
            }
            case 1 -> {
                how.add("invalid UTF-8 at " + at);
                yield insert(bytes, at, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
            }
            case 2 -> {
                how.add("raw NUL at " + at);
                yield insert(bytes, at, new byte[] {0});
            }
            case 3 -> {
                how.add("trailing garbage");
                yield insert(bytes, bytes.length, "}}]]garbage".getBytes(StandardCharsets.UTF_8));
            }
            case 4 -> {
                how.add("duplicate type key");
                String s = new String(bytes, StandardCharsets.UTF_8);
                yield s.replaceFirst("\\{", "{\"type\":\"threads.delete\",").getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                how.add("lone surrogate escape");
                String s = new String(bytes, StandardCharsets.UTF_8);
                yield s.replaceFirst(":\"", ":\"\\\\uD800").getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    private static byte[] insert(byte[] bytes, int at, byte[] extra) {
        var out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(extra);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    /** A place in a tree that can be replaced or removed. */
    private record Slot(JsonNode parent, String key, int index, String path) {
        void set(JsonNode value) {
            if (parent instanceof ObjectNode o) o.set(key, value);
            else ((ArrayNode) parent).set(index, value);
        }

        boolean remove() {
            if (parent instanceof ObjectNode o) o.remove(key);
            else ((ArrayNode) parent).remove(index);
            return true;
        }
    }

    private static void collect(JsonNode node, List<Slot> slots, int depth) {
        if (depth > 8) return;
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                var e = it.next();
                slots.add(new Slot(o, e.getKey(), -1, e.getKey()));
                collect(e.getValue(), slots, depth + 1);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                slots.add(new Slot(a, null, i, "[" + i + "]"));
                collect(a.get(i), slots, depth + 1);
            }
        }
    }

    // ---- raw HTTP ----------------------------------------------------------------------------------------

    /** {@return a valid request for {@code method} and {@code path} with the given headers and body, then damaged} */
    Body http(String method, String path, Map<String, String> headers, byte[] body) {
        List<String> how = new ArrayList<>();
        String line = method + " " + path + " HTTP/1.1";
        List<String> head = new ArrayList<>();
        head.add("Host: 127.0.0.1");
        headers.forEach((k, v) -> head.add(k + ": " + v));
        boolean chunked = false;
        int n = 1 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(9)) {
                case 0 -> {
                    String[] lines = {"get " + path + " HTTP/1.1", "BREW " + path + " HTTP/1.1", method + " chatkit HTTP/1.1",
                            method + " /chat kit HTTP/1.1", method + " " + path + "%zz HTTP/1.1", method + " " + path + " HTTP/1.0",
                            method + " " + path + " HTTP/2.0", method + " " + path + " http/1.1", method + " " + path,
                            method + " http://127.0.0.1" + path + " HTTP/1.1", method + " /" + "a".repeat(6000) + " HTTP/1.1",
                            method + " " + path + "?limit=%00&after=%FF HTTP/1.1", method + "  " + path + " HTTP/1.1"};
                    line = lines[random.nextInt(lines.length)];
                    how.add("request line \"" + shorten(line) + "\"");
                }
                case 1 -> {
                    String[] bad = {"No colon", " Leading: space", "Name : value", "X-Fold: a" + CRLF + " folded",
                            "X-Big: " + "b".repeat(20_000), "Bad\u0001Name: v", "X-Utf8: \u00ff\u00fe", "Host: 127.0.0.1",
                            "Host: 127.0.0.1:notaport", ": empty name", "Content-Type: multipart/form-data; boundary="};
                    String h = bad[random.nextInt(bad.length)];
                    head.add(random.nextInt(head.size() + 1), h);
                    how.add("header \"" + shorten(h) + "\"");
                }
                case 2 -> {
                    String[] lengths = {"-1", "ten", "99999999999999999999", "0", "100000", "5, 6", "+5", " 3"};
                    String v = lengths[random.nextInt(lengths.length)];
                    head.add("Content-Length: " + v);
                    how.add("Content-Length: " + v);
                }
                case 3 -> {
                    chunked = true;
                    how.add("chunked");
                }
                case 4 -> {
                    String[] encodings = {"gzip", "identity", "deflate, br", "x-unknown"};
                    String v = encodings[random.nextInt(encodings.length)];
                    head.add("Content-Encoding: " + v);
                    how.add("Content-Encoding: " + v);
                }
                case 5 -> {
                    head.add(random.nextBoolean() ? "Expect: 100-continue" : "Expect: something-else");
                    how.add("Expect");
                }
                case 6 -> {
                    head.removeIf(h -> h.startsWith("Host:"));
                    how.add("no Host");
                }
                case 7 -> {
                    for (int k = 0; k < 300; k++) head.add("X-Many-" + k + ": v");
                    how.add("300 headers");
                }
                default -> how.add("then flip a byte");
            }
        }
        var out = new ByteArrayOutputStream();
        out.writeBytes((line + CRLF).getBytes(StandardCharsets.ISO_8859_1));
        for (String h : head) out.writeBytes((h + CRLF).getBytes(StandardCharsets.ISO_8859_1));
        if (chunked) {
            out.writeBytes(("Transfer-Encoding: chunked" + CRLF + CRLF).getBytes(StandardCharsets.ISO_8859_1));
            String[] sizes = {Integer.toHexString(body.length), "zz", "-1", "FFFFFFFFFFFFFFFFFFFFFF", "1;ext=\"", ""};
            String size = sizes[random.nextInt(sizes.length)];
            out.writeBytes((size + CRLF).getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
            out.writeBytes((CRLF + (random.nextBoolean() ? "0" + CRLF + CRLF : "")).getBytes(StandardCharsets.ISO_8859_1));
            how.add("chunk size \"" + size + "\"");
        } else {
            if (head.stream().noneMatch(h -> h.startsWith("Content-Length"))) {
                out.writeBytes(("Content-Length: " + body.length + CRLF).getBytes(StandardCharsets.ISO_8859_1));
            }
            out.writeBytes(CRLF.getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
        }
        byte[] bytes = out.toByteArray();
        if (how.contains("then flip a byte") && bytes.length > 0) {
            int at = random.nextInt(bytes.length);
            byte[] choices = {0, '\r', '\n', ' ', ':', (byte) 0xFF, 0x7F, '\t'};
            bytes[at] = choices[random.nextInt(choices.length)];
            how.add("at " + at);
        }
        if (random.nextInt(5) == 0 && bytes.length > 0) {
            int at = random.nextInt(bytes.length);
            bytes = java.util.Arrays.copyOf(bytes, at);
            how.add("truncated at " + at);
        }
        return new Body(bytes, String.join(", ", how));
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…(" + s.length() + " chars)" : s;
    }
}
