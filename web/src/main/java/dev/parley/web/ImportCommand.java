package dev.parley.web;

import dev.parley.model.ModelProvider;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.protocol.ChatKitJson;
import dev.parley.store.Storage;
import dev.parley.web.config.Environment;
import dev.parley.workflow.InvalidWorkflowException;
import dev.parley.workflow.Problem;
import dev.parley.workflow.agentbuilder.AgentBuilderImport;
import dev.parley.workflow.agentbuilder.ImportReport;
import dev.parley.workflow.agentbuilder.ImportResult;
import dev.parley.workflow.engine.Workflows;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code parley import FILE [--out DIR] [--publish]}: imports an Agent Builder workflow (its JSON or its Agents SDK
 * code export), prints the report, and writes the Parley document to {@code DIR/<workflow id>.json} and/or publishes
 * it into the configured store (checked against this server's settings, as the server would).
 *
 * <p>Exit status: 0 imported (perhaps with warnings), 2 the report or the publish has errors, or the command line
 * is wrong.
 */
final class ImportCommand {
    static final String USAGE = "usage: parley import FILE [--out DIR] [--publish]";

    private final PrintStream out;
    private final java.util.function.Supplier<Environment.Settings> settings;

    /** @param settings the server's configuration, read only when publishing: converting a file needs none */
    ImportCommand(PrintStream out, java.util.function.Supplier<Environment.Settings> settings) {
        this.out = out;
        this.settings = settings;
    }

    int run(List<String> args) {
        Path file = null;
        Path outDir = null;
        boolean publish = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--publish" -> publish = true;
                case "--out" -> {
                    if (i + 1 >= args.size()) return usage("--out needs a folder");
                    outDir = Path.of(args.get(++i));
                }
                default -> {
                    if (a.startsWith("--")) return usage("unknown option " + a);
                    if (file != null) return usage("one file at a time");
                    file = Path.of(a);
                }
            }
        }
        if (file == null) return usage("name the file to import");
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            out.println("parley import: cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        ImportResult result = AgentBuilderImport.importFile(content);
        print(file, result.report());
        if (!result.report().ok() || result.workflow() == null) {
            out.println("Not imported: fix the errors above (in Agent Builder's terms, or in the written document).");
            return 2;
        }
        String id = result.workflow().path("id").asText("workflow");
        if (outDir != null) {
            try {
                Files.createDirectories(outDir);
                Path target = outDir.resolve(id + ".json");
                Files.writeString(target, ChatKitJson.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(result.workflow()) + "\n", StandardCharsets.UTF_8);
                out.println("Wrote " + target);
            } catch (IOException e) {
                out.println("parley import: cannot write to " + outDir + ": " + e.getMessage());
                return 2;
            }
        }
        if (publish) return publish(result);
        if (outDir == null) out.println(result.workflow().toPrettyString());
        return 0;
    }

    /** Publishes with the server's own settings, so what is refused here would be refused there. */
    private int publish(ImportResult result) {
        Environment.Settings settings = this.settings.get();
        KnowledgeBases knowledge = Providers.knowledge(settings.assistant(), settings.server().dataDir());
        ModelProvider model = Providers.open(settings.assistant(), settings.server().dataDir(), knowledge);
        try (Storage storage = Stores.open(settings.server());
                Tooling tooling = new Tooling(settings.assistant(), model, knowledge)) {
            var workflows = new Workflows(storage.workflows(), tooling.toolbox(), Workflows.newServerId());
            Workflows.Published p = workflows.publish(result.workflow().toString());
            for (Problem w : p.warnings()) out.println("  warning " + w);
            out.println("Published " + p.version().workflowId() + " v" + p.version().version() + " into "
                    + storage.description());
            return 0;
        } catch (InvalidWorkflowException e) {
            out.println("Not published: this server's settings refuse it:");
            for (Problem p : e.report().errors()) out.println("  error " + p);
            return 2;
        }
    }

    private void print(Path file, ImportReport report) {
        out.println(file + ": " + report.errors().size() + " error(s), " + report.warnings().size() + " warning(s), "
                + report.notes().size() + " note(s)");
        print("error", report.errors());
        print("warning", report.warnings());
        print("note", report.notes());
    }

    private void print(String kind, List<ImportReport.Entry> entries) {
        for (ImportReport.Entry e : entries) {
            out.println("  " + kind + " [" + e.source() + "] " + e.message() + (e.fix() == null ? "" : " Fix: " + e.fix()));
        }
    }

    private int usage(String problem) {
        out.println("parley import: " + problem + "\n" + USAGE);
        return 2;
    }
}
