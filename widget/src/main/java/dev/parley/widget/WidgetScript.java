package dev.parley.widget;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The chat widget as the one script a page loads ({@code <script src=".../parley.js">}), built from its ES modules
 * ({@code public/widget/src/}, entry {@code define.js}, the stylesheet imported as text) and the Markdown parser and
 * sanitiser ({@code public/widget/vendor/}) on the classpath. Each library is wrapped so that it sees a CommonJS
 * {@code module} and takes that branch of its UMD header: it never assigns a global, so a page that has its own
 * {@code marked} or {@code DOMPurify} keeps it. Everything sits in an outer function, so nothing but
 * {@code window.Parley} and the custom element reach the page, and a second copy of the script does nothing.
 */
public final class WidgetScript {
    /** The classpath folder the widget's files are in. */
    public static final String ROOT = "public/";
    /** Library specifier the widget imports → its file under {@link #ROOT}. */
    private static final Map<String, String> VENDOR = Map.of(
            "marked", "widget/vendor/marked/marked.umd.js",
            "dompurify", "widget/vendor/dompurify/purify.min.js");
    /** The module that registers the element; the bundler finds the rest through its imports. */
    private static final String ENTRY = "widget/src/define.js";

    private WidgetScript() {}

    /**
     * {@return the widget script, from the files of this class's class loader}
     *
     * @throws IllegalStateException naming the file, if a source or library is missing or a module is malformed
     */
    public static String build() {
        return build(WidgetScript::classpath);
    }

    /**
     * {@return the widget script}
     *
     * @param reader a file's bytes by its path under {@link #ROOT}, or null when there is none
     * @throws IllegalStateException naming the file, if a source or library is missing or a module is malformed
     */
    public static String build(Function<String, byte[]> reader) {
        var js = new StringBuilder(200_000);
        js.append("/*! Parley chat widget. Bundles marked (MIT, github.com/markedjs/marked) and DOMPurify "
                + "(Apache-2.0 or MPL-2.0, github.com/cure53/DOMPurify); licences under /widget/ in the jar. */\n");
        js.append("(function () {\n");
        // A second copy of the script on the page must not define the element twice or replace Parley.
        js.append("if (typeof window === 'undefined' || window.Parley && window.Parley.__parley) return;\n");
        js.append("var vendor = {};\n");
        var libraries = new TreeMap<String, String>();
        VENDOR.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            js.append("vendor[").append(ModuleBundler.jsString(e.getKey())).append("] = (function () {\n")
                    .append("var module = { exports: {} }, exports = module.exports, define = undefined;\n")
                    .append(stripSourceMap(required(reader, e.getValue())))
                    .append("\n;return module.exports;\n})();\n");
            libraries.put(e.getKey(), "vendor[" + ModuleBundler.jsString(e.getKey()) + "]");
        });
        js.append(new ModuleBundler(path -> text(reader, path), libraries).bundle(ENTRY));
        js.append("})();\n");
        return js.toString();
    }

    private static String text(Function<String, byte[]> reader, String path) {
        byte[] bytes = reader.apply(path);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String required(Function<String, byte[]> reader, String path) {
        String text = text(reader, path);
        if (text == null) {
            throw new IllegalStateException("The widget script needs " + ROOT + path + " on the classpath; "
                    + "build with Maven (its generate-resources phase copies the libraries)");
        }
        return text;
    }

    private static byte[] classpath(String path) {
        try (InputStream in = WidgetScript.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + ROOT + path + " from the classpath", e);
        }
    }

    /** Source-map comments would make devtools ask the server for .map files it does not serve. */
    private static String stripSourceMap(String code) {
        return code.replaceAll("(?m)^//# sourceMappingURL=.*$", "");
    }
}
