package dev.parley.widget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The widget's bundler: module order, the errors that stop a broken widget from being served, and scoping. */
class ModuleBundlerTest {
    static String bundle(Map<String, String> files, String entry) {
        return new ModuleBundler(files::get, Map.of("lib", "globalThis.lib")).bundle(entry);
    }

    @Test
    void everyModuleComesAfterTheModulesItImports() {
        String js = bundle(Map.of(
                "src/main.js", "import { b } from './b.js';\nimport { c } from './c.js';\nb(c);\n",
                "src/b.js", "import { c } from './c.js';\nexport function b(x) { return x + c; }\n",
                "src/c.js", "export const c = 1;\n"), "src/main.js");
        assertThat(js.indexOf("// ---- src/c.js")).isNotNegative()
                .isLessThan(js.indexOf("// ---- src/b.js"));
        assertThat(js.indexOf("// ---- src/b.js")).isLessThan(js.indexOf("// ---- src/main.js"));
        assertThat(js).as("each module once").containsOnlyOnce("// ---- src/c.js");
        assertThat(js).doesNotContain("import ", "export ");
    }

    @Test
    void aCycleIsRefusedWithItsPath() {
        assertThatThrownBy(() -> bundle(Map.of(
                "a.js", "import { b } from './b.js';\nexport const a = 1;\n",
                "b.js", "import { a } from './a.js';\nexport const b = 2;\n"), "a.js"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Import cycle: a.js → b.js → a.js");
    }

    @Test
    void aMissingModuleOrExportIsRefusedByFileAndLine() {
        assertThatThrownBy(() -> bundle(Map.of("w/a.js", "// first\nimport { x } from './gone.js';\n"), "w/a.js"))
                .hasMessage("w/a.js:2: imports './gone.js', but there is no w/gone.js");
        assertThatThrownBy(() -> bundle(Map.of(
                "a.js", "import { b, nope } from './b.js';\n",
                "b.js", "export const b = 1;\nexport function other() {}\n"), "a.js"))
                .hasMessage("a.js:1: imports nope from './b.js', which exports only [b, other]");
        assertThatThrownBy(() -> bundle(Map.of("a.js", "import { x } from 'left-pad';\n"), "a.js"))
                .hasMessageStartingWith("a.js:1: imports 'left-pad', which is neither a file")
                .hasMessageContaining("[lib]");
        assertThatThrownBy(() -> bundle(Map.of(), "main.js")).hasMessage("No entry module main.js");
    }

    @Test
    void formsTheWidgetDoesNotUseAreRefused() {
        Map<String, String> refused = Map.of(
                "export default function () {}", "unsupported export",
                "import * as all from './b.js';", "unsupported import",
                "import './b.js';", "unsupported import",
                "const later = () => import('./b.js');", "dynamic import()",
                "console.log(import.meta.url);", "dynamic import()",
                "export let counter = 0;", "unsupported export",
                "export * from './b.js';", "unsupported export",
                "function f() {\n  import { b } from './b.js';\n}", "must start its line",
                "const __parley_module_0 = 1;", "the bundler's");
        refused.forEach((source, why) -> assertThatThrownBy(
                () -> bundle(Map.of("a.js", "// header\n" + source + "\n", "b.js", "export const b = 1;\n"), "a.js"))
                .as(source)
                .hasMessageStartingWith("a.js:")
                .hasMessageContaining(why));
    }

    @Test
    void importsSpanningLinesRenamesLibrariesAndStylesheets() {
        String js = bundle(Map.of(
                "a.js", """
                        import {
                          one as first,
                          two,
                        } from './b.js';
                        import sheet from './look.css';
                        import lib from 'lib';
                        import { helper as libHelper } from 'lib';
                        export { first as renamed };
                        """,
                "b.js", "const one = 1;\nconst two = 2;\nexport { one, two };\n",
                "look.css", ":host { color: red; }\n"), "a.js");
        assertThat(js).contains("const { one: first, two } = __parley_module_0;")
                .contains("Object.freeze({ default: \":host { color: red; }\\n\" })")
                .contains("= globalThis.lib;")
                .contains("const lib = __parley_module_2;")
                .contains("const { helper: libHelper } = __parley_module_2;")
                .contains("return Object.freeze({ renamed: first });");
    }

    /** The same top-level name in two modules, and a library's; run for real when Node.js is at hand. */
    @Test
    void topLevelNamesOfDifferentModulesNeverMeet(@TempDir Path dir) throws Exception {
        String js = bundle(Map.of(
                "main.js", """
                        import { label as fromA } from './a.js';
                        import { label as fromB } from './b.js';
                        import { helper } from 'lib';
                        const label = 'main';
                        console.log([label, fromA(), fromB(), helper()].join(' '));
                        """,
                "a.js", "const helper = 'a';\nexport function label() { return helper; }\n",
                "b.js", "const helper = 'b';\nexport function label() { return helper; }\n"), "main.js");
        assertThat(js).as("every module in a function of its own").containsOnlyOnce("const helper = 'a';")
                .contains("__parley_module_0 = (function () {\n'use strict';");
        Path script = dir.resolve("bundle.js");
        Files.writeString(script, "globalThis.lib = { helper: () => 'lib' };\n(function () {\n" + js + "})();\n");
        assertThat(node(script)).isEqualTo("main a b lib");
    }

    /** Every source file is part of the widget, and the bundle is a script a browser (or Node) can parse. */
    @Test
    void theWidgetItselfBundlesAndReachesEveryModule(@TempDir Path dir) throws Exception {
        String js = new ModuleBundler(ModuleBundlerTest::resource,
                Map.of("marked", "vendor.marked", "dompurify", "vendor.dompurify")).bundle("widget/src/define.js");
        // The sources stay in web (see this module's pom); the test runs in widget/.
        Path sources = Path.of("../web/src/main/resources/public/widget/src");
        try (Stream<Path> files = Files.list(sources)) {
            files.map(f -> "// ---- widget/src/" + f.getFileName()).forEach(marker -> assertThat(js).contains(marker));
        }
        assertThat(js).contains("class ParleyChatElement");
        Path script = dir.resolve("widget.js");
        Files.writeString(script, "var vendor = {};\n(function () {\n" + js + "})();\n");
        assertThat(node("--check", script)).isEmpty();
    }

    static String resource(String path) {
        try (InputStream in = ModuleBundlerTest.class.getClassLoader().getResourceAsStream("public/" + path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs Node.js on the script; skips the calling test when Node is not installed (it is never needed to build). */
    static String node(Object... args) throws Exception {
        Path node = Path.of("/usr/bin/node");
        Assumptions.assumeTrue(Files.isExecutable(node), "Node.js not installed: the bundle is checked only by shape");
        var command = new java.util.ArrayList<String>();
        command.add(node.toString());
        for (Object a : args) command.add(a.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("node finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
