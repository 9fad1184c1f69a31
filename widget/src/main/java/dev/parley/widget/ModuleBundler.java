package dev.parley.widget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Joins ES modules into one classic script, so the widget is written as modules yet served as a single file, and
 * building Parley still needs nothing but a JDK.
 *
 * <pre>{@code
 * String js = new ModuleBundler(path -> read(path), Map.of("marked", "vendor.marked")).bundle("widget/src/define.js");
 * }</pre>
 *
 * <p>From the entry module it follows the imports, puts every module after the modules it imports, and emits
 * each as a function: its top-level names live in that function's scope, and it returns its exports. An import
 * becomes a {@code const} read from that return value, so two modules can use the same top-level name without
 * meeting. The output is a run of {@code const} statements for the caller to wrap in a function of its own.
 *
 * <p>It understands the forms the widget uses and nothing more, and refuses everything else by file and line
 * instead of passing it through half-understood:
 * <ul>
 *   <li>{@code import { a, b as c } from './x.js';} (may span lines) and {@code import d from 'spec';} for a
 *       default export;</li>
 *   <li>{@code export function}, {@code export async function}, {@code export class}, {@code export const}
 *       (one name each) and {@code export { a, b as c };};</li>
 *   <li>a specifier starting with {@code ./} or {@code ../} is a file next to the importer; a {@code .css}
 *       file's default export is its text;</li>
 *   <li>any other specifier must be one of the {@code libraries}: CommonJS modules whose default export is
 *       {@code module.exports} and whose named exports are its properties.</li>
 * </ul>
 * Imports and exports must start their line and sit at the top level; dynamic {@code import()},
 * {@code import.meta}, {@code export default}, {@code export *} and exports of {@code let} or {@code var} are
 * refused. The scan is by line, not a JavaScript parser, so a template literal with a line that starts with
 * {@code import} would confuse it; the widget has none.
 */
public final class ModuleBundler {
    /** Every module's binding in the bundle; a source using the prefix could reach into another module. */
    static final String RESERVED = "__parley_module_";
    private static final String IDENT = "[A-Za-z_$][\\w$]*";
    private static final Pattern IMPORT_NAMED = Pattern.compile(
            "import\\s*\\{([^}]*)}\\s*from\\s*(['\"])([^'\"]+)\\2\\s*;");
    private static final Pattern IMPORT_DEFAULT = Pattern.compile(
            "import\\s+(" + IDENT + ")\\s+from\\s*(['\"])([^'\"]+)\\2\\s*;");
    private static final Pattern EXPORT_LIST = Pattern.compile("export\\s*\\{([^}]*)}\\s*;");
    private static final Pattern EXPORT_DECLARATION = Pattern.compile(
            "export\\s+(?:async\\s+function\\*?|function\\*?|class|const)\\s+(" + IDENT + ")\\b.*");
    private static final Pattern BINDING = Pattern.compile("(" + IDENT + ")(?:\\s+as\\s+(" + IDENT + "))?");
    /** A statement keyword at the start of a line; a dynamic {@code import(} is caught separately. */
    private static final Pattern KEYWORD = Pattern.compile("^(\\s*)(import|export)(?=[\\s{*]|$)");
    private static final Pattern DYNAMIC = Pattern.compile("\\bimport\\s*\\(|\\bimport\\.meta\\b");

    private final Function<String, String> reader;
    private final Map<String, String> libraries;

    /**
     * @param reader a module's text by its path (paths use {@code /}), or null when there is no such file
     * @param libraries each library specifier that modules may import, with the JavaScript expression (valid
     *     where the bundle is placed) that evaluates to the library's {@code module.exports}
     */
    public ModuleBundler(Function<String, String> reader, Map<String, String> libraries) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.libraries = Map.copyOf(libraries);
    }

    private enum Kind { SCRIPT, STYLESHEET, LIBRARY }

    private record Binding(String imported, String local) {}

    private record Import(String specifier, String target, List<Binding> bindings, int line) {}

    private record Module(String path, Kind kind, String body, List<Import> imports, Map<String, String> exports) {}

    /**
     * {@return the modules reachable from {@code entry}, as one script}
     *
     * @throws IllegalStateException naming the file (and line) of a missing module, a missing export, an import
     *     cycle or an unsupported form
     */
    public String bundle(String entry) {
        var modules = new LinkedHashMap<String, Module>();
        visit(entry, null, new ArrayList<>(), modules);
        var ids = new HashMap<String, String>();
        var out = new StringBuilder();
        for (Module module : modules.values()) {
            String id = RESERVED + ids.size();
            ids.put(module.path(), id);
            out.append("// ---- ").append(module.path()).append('\n');
            out.append("const ").append(id).append(" = ").append(emit(module, modules, ids)).append(";\n");
        }
        return out.toString();
    }

    /** Depth first, so a module lands in {@code done} only after everything it imports. */
    private void visit(String path, Import from, List<String> stack, Map<String, Module> done) {
        if (done.containsKey(path)) return;
        int at = stack.indexOf(path);
        if (at >= 0) {
            var cycle = new ArrayList<>(stack.subList(at, stack.size()));
            cycle.add(path);
            throw new IllegalStateException("Import cycle: " + String.join(" → ", cycle));
        }
        Module module = load(path, from, stack.isEmpty() ? null : stack.getLast());
        stack.add(path);
        for (Import imp : module.imports()) visit(imp.target(), imp, stack, done);
        stack.removeLast();
        done.put(path, module);
    }

    private Module load(String path, Import from, String importer) {
        if (path.startsWith("library:")) {
            return new Module(path, Kind.LIBRARY, libraries.get(path.substring(8)), List.of(), Map.of());
        }
        String text = reader.apply(path);
        if (text == null) {
            throw new IllegalStateException(from == null
                    ? "No entry module " + path
                    : importer + ":" + from.line() + ": imports '" + from.specifier() + "', but there is no " + path);
        }
        if (path.endsWith(".css")) return new Module(path, Kind.STYLESHEET, text, List.of(), Map.of("default", ""));
        return parse(path, text);
    }

    private Module parse(String path, String text) {
        String[] lines = text.split("\r?\n", -1);
        var imports = new ArrayList<Import>();
        var exports = new LinkedHashMap<String, String>();
        var locals = new HashSet<String>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int number = i + 1;
            if (line.contains(RESERVED)) throw refused(path, number, "the prefix " + RESERVED + " is the bundler's");
            if (DYNAMIC.matcher(stripLineComment(line)).find()) {
                throw refused(path, number, "dynamic import() and import.meta have no place in a one-file bundle");
            }
            Matcher keyword = KEYWORD.matcher(line);
            if (!keyword.find()) continue;
            if (!keyword.group(1).isEmpty()) {
                throw refused(path, number, keyword.group(2) + " must start its line, at the top level");
            }
            if (keyword.group(2).equals("export") && !line.matches("export\\s*\\{.*")) {
                Matcher declaration = EXPORT_DECLARATION.matcher(line);
                if (!declaration.matches()) {
                    throw refused(path, number, "unsupported export (use export function, class, const or "
                            + "export { … }): " + line.strip());
                }
                addExport(exports, declaration.group(1), declaration.group(1), path, number);
                lines[i] = line.replaceFirst("^export\\s+", "");
                continue;
            }
            // A statement may span lines; it ends at its semicolon.
            int end = i;
            var statement = new StringBuilder(line);
            while (statement.indexOf(";") < 0 && ++end < lines.length) statement.append('\n').append(lines[end]);
            String whole = statement.toString().strip();
            if (keyword.group(2).equals("import")) {
                Import imp = parseImport(path, number, whole);
                for (Binding b : imp.bindings()) {
                    if (!locals.add(b.local())) throw refused(path, number, b.local() + " is imported twice");
                }
                imports.add(imp);
            } else {
                Matcher list = EXPORT_LIST.matcher(whole);
                if (!list.matches()) throw refused(path, number, "unsupported export: " + whole);
                for (Binding b : bindings(list.group(1), path, number)) {
                    addExport(exports, b.local(), b.imported(), path, number);
                }
            }
            for (int j = i; j <= end && j < lines.length; j++) lines[j] = "";
            i = end;
        }
        return new Module(path, Kind.SCRIPT, String.join("\n", lines), imports, exports);
    }

    private Import parseImport(String path, int line, String statement) {
        Matcher named = IMPORT_NAMED.matcher(statement);
        if (named.matches()) {
            return new Import(named.group(3), resolve(path, line, named.group(3)),
                    bindings(named.group(1), path, line), line);
        }
        Matcher single = IMPORT_DEFAULT.matcher(statement);
        if (single.matches()) {
            return new Import(single.group(3), resolve(path, line, single.group(3)),
                    List.of(new Binding("default", single.group(1))), line);
        }
        throw refused(path, line, "unsupported import (use import { a, b as c } from '…' or import d from '…'): "
                + statement.replaceAll("\\s+", " "));
    }

    /** {@code a, b as c} as (name in the exporting module, name here) pairs. */
    private static List<Binding> bindings(String list, String path, int line) {
        var out = new ArrayList<Binding>();
        for (String part : list.split(",")) {
            String item = part.strip();
            if (item.isEmpty()) continue;
            Matcher m = BINDING.matcher(item);
            if (!m.matches()) throw refused(path, line, "cannot read the name '" + item + "'");
            out.add(new Binding(m.group(1), m.group(2) != null ? m.group(2) : m.group(1)));
        }
        if (out.isEmpty()) throw refused(path, line, "an empty { } names nothing");
        return out;
    }

    private static void addExport(Map<String, String> exports, String exported, String local, String path, int line) {
        if (exports.putIfAbsent(exported, local) != null) throw refused(path, line, exported + " is exported twice");
    }

    private String resolve(String importer, int line, String specifier) {
        if (specifier.startsWith("./") || specifier.startsWith("../")) {
            var parts = new ArrayList<>(List.of(importer.split("/")));
            parts.removeLast();
            for (String part : specifier.split("/")) {
                if (part.equals("..")) {
                    if (parts.isEmpty()) throw refused(importer, line, "'" + specifier + "' leaves the source tree");
                    parts.removeLast();
                } else if (!part.equals(".") && !part.isEmpty()) {
                    parts.add(part);
                }
            }
            return String.join("/", parts);
        }
        if (libraries.containsKey(specifier)) return "library:" + specifier;
        throw refused(importer, line, "imports '" + specifier + "', which is neither a file (./ or ../) nor one of "
                + "the libraries the bundle provides " + new TreeSet<>(libraries.keySet()));
    }

    private static String emit(Module module, Map<String, Module> modules, Map<String, String> ids) {
        return switch (module.kind()) {
            case LIBRARY -> module.body();
            case STYLESHEET -> "Object.freeze({ default: " + jsString(module.body()) + " })";
            case SCRIPT -> {
                var js = new StringBuilder("(function () {\n'use strict';\n");
                for (Import imp : module.imports()) js.append(binding(module, imp, modules.get(imp.target()), ids));
                js.append(module.body());
                if (!module.body().endsWith("\n")) js.append('\n');
                var names = new ArrayList<String>();
                module.exports().forEach((exported, local) -> names.add(pair(exported, local)));
                yield js.append("return Object.freeze({ ").append(String.join(", ", names)).append(" });\n})()")
                        .toString();
            }
        };
    }

    private static String binding(Module importer, Import imp, Module target, Map<String, String> ids) {
        String id = ids.get(target.path());
        if (target.kind() == Kind.LIBRARY) {
            // CommonJS: the default export is module.exports itself.
            var named = new ArrayList<String>();
            var out = new StringBuilder();
            for (Binding b : imp.bindings()) {
                if (b.imported().equals("default")) out.append("const ").append(b.local()).append(" = ").append(id).append(";\n");
                else named.add(pair(b.imported(), b.local()));
            }
            if (!named.isEmpty()) out.append("const { ").append(String.join(", ", named)).append(" } = ").append(id).append(";\n");
            return out.toString();
        }
        var names = new ArrayList<String>();
        for (Binding b : imp.bindings()) {
            if (!target.exports().containsKey(b.imported())) {
                throw refused(importer.path(), imp.line(), "imports " + b.imported() + " from '" + imp.specifier()
                        + "', which exports only " + new TreeSet<>(target.exports().keySet()));
            }
            names.add(pair(b.imported(), b.local()));
        }
        return "const { " + String.join(", ", names) + " } = " + id + ";\n";
    }

    /** {@code key: name} as an object-literal or destructuring entry, shortened when the two are the same. */
    private static String pair(String key, String name) {
        return key.equals(name) ? name : key + ": " + name;
    }

    /** Only for spotting {@code import(} in code: a {@code //} inside a string is rare enough in the widget. */
    private static String stripLineComment(String line) {
        int comment = line.indexOf("//");
        return comment < 0 ? line : line.substring(0, comment);
    }

    private static IllegalStateException refused(String path, int line, String why) {
        return new IllegalStateException(path + ":" + line + ": " + why);
    }

    /** {@return {@code s} as a double-quoted JavaScript string literal, safe inside an inline script too} */
    static String jsString(String s) {
        var out = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                // "</" would end an inline <script> if someone inlines the bundle.
                case '<' -> out.append("\\u003c");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
