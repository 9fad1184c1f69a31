package dev.parley.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.store.sqlite.SqliteStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline default's answer quality, scored: every message of {@code answers/visitor-questions.tsv} is sent to
 * the shipped seed workflow (classifier, router, agents) on the embedded provider over the sample knowledge base,
 * through the real dispatcher and a SQLite file, follow-ups in the same thread as the message before them. Each
 * reply is judged right, declined, confidently wrong or other, and the totals are printed with every judgement.
 *
 * <p>A reply that cites no source is not an answer: it declines, says which language it can answer in, or
 * acknowledges contact details. A reply citing a source must contain the message's facts.
 *
 * <pre>./mvnw -q -o -pl workflow -am test -Dtest=AnswerQualityTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class AnswerQualityTest {
    /** The goals of issue 17. */
    private static final double RIGHT_OR_DECLINED = 0.90;
    private static final double CONFIDENTLY_WRONG = 0.03;
    /**
     * Declining everything would meet both goals, so most answerable questions must really be answered too. The
     * knowledge base holds the answer to every one of them, so this floor is low on purpose only for the phrasing
     * the retrieval misses; it was set below the measured rate, not at it.
     */
    private static final double ANSWERABLE_RIGHT = 0.75;

    enum Verdict { RIGHT, DECLINED, CONFIDENTLY_WRONG, OTHER }

    /** One message of the set: what kind of reply is right, and the facts it must hold. */
    record Case(String kind, boolean followUp, String message, List<List<String>> facts) {}

    record Judged(Case c, Verdict verdict, String reply) {}

    @TempDir static Path dir;
    static SqliteStore store;
    static ChatKitServer server;

    @BeforeAll
    static void publishSeed() throws IOException {
        store = SqliteStore.open(dir.resolve("parley.db"));
        Workflows workflows = new Workflows(store.storage().workflows(), EmbeddedProvider.open(null, null));
        workflows.publish(resource("workflows/seed-agency.json"));
        server = ChatKitServer.builder().store(store).responder(workflows.responder("wf_seed_agency")).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void theOfflineDefaultIsRightOrDeclinesAndIsRarelyConfidentlyWrong() throws IOException {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(100);
        List<Judged> judged = new ArrayList<>();
        String thread = null;
        for (Case c : cases) {
            List<ThreadStreamEvent> events = c.followUp() ? add(thread, c.message()) : create(c.message());
            if (!c.followUp()) thread = ((ThreadStreamEvent.ThreadCreated) events.getFirst()).thread().id();
            ThreadItem.AssistantMessage reply = reply(events);
            judged.add(new Judged(c, judge(c, reply), reply.text()));
        }

        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) counts.put(v, 0);
        judged.forEach(j -> counts.merge(j.verdict(), 1, Integer::sum));
        StringBuilder report = new StringBuilder("\nAnswer quality of the embedded provider on " + cases.size()
                + " visitor messages\n");
        for (Judged j : judged) {
            report.append(String.format("%-17s %-8s %s%n      → %s%n", j.verdict(), j.c().kind(), j.c().message(),
                    j.reply().replace('\n', ' ').substring(0, Math.min(140, j.reply().length()))));
        }
        long answerable = judged.stream().filter(j -> j.c().kind().equals("answer")).count();
        long answered = judged.stream().filter(j -> j.c().kind().equals("answer") && j.verdict() == Verdict.RIGHT).count();
        report.append(String.format("right %d, declined %d, confidently wrong %d, other %d; answerable answered right "
                        + "%d of %d%n", counts.get(Verdict.RIGHT), counts.get(Verdict.DECLINED),
                counts.get(Verdict.CONFIDENTLY_WRONG), counts.get(Verdict.OTHER), answered, answerable));
        System.out.println(report);

        double n = cases.size();
        assertThat((counts.get(Verdict.RIGHT) + counts.get(Verdict.DECLINED)) / n).as(report.toString())
                .isGreaterThanOrEqualTo(RIGHT_OR_DECLINED);
        assertThat(counts.get(Verdict.CONFIDENTLY_WRONG) / n).as(report.toString()).isLessThanOrEqualTo(CONFIDENTLY_WRONG);
        assertThat((double) answered / answerable).as(report.toString()).isGreaterThanOrEqualTo(ANSWERABLE_RIGHT);
    }

    /** The set itself: enough of each kind that no one kind can carry the score. */
    @Test
    void theSetHoldsEveryKindOfMessage() throws IOException {
        List<Case> cases = cases();
        assertThat(cases.stream().filter(c -> c.kind().equals("answer") && !c.followUp()).count()).isGreaterThanOrEqualTo(60);
        assertThat(cases.stream().filter(Case::followUp).count()).isGreaterThanOrEqualTo(12);
        assertThat(cases.stream().filter(c -> c.kind().equals("decline")).count()).isGreaterThanOrEqualTo(20);
        assertThat(cases.stream().filter(c -> c.kind().equals("language")).count()).isGreaterThanOrEqualTo(8);
        assertThat(cases.stream().filter(c -> c.kind().equals("contact")).count()).isGreaterThanOrEqualTo(5);
        assertThat(cases).filteredOn(c -> c.kind().equals("answer")).allSatisfy(c -> assertThat(c.facts()).isNotEmpty());
    }

    static Verdict judge(Case c, ThreadItem.AssistantMessage reply) {
        boolean cites = reply.content().stream().map(AssistantContent::annotations).anyMatch(a -> !a.isEmpty());
        String text = reply.text().toLowerCase(Locale.ROOT);
        return switch (c.kind()) {
            case "answer" -> {
                if (!cites) yield Verdict.DECLINED;
                long held = c.facts().stream().filter(f -> f.stream().anyMatch(text::contains)).count();
                yield held == c.facts().size() ? Verdict.RIGHT : held == 0 ? Verdict.CONFIDENTLY_WRONG : Verdict.OTHER;
            }
            case "decline" -> cites ? Verdict.CONFIDENTLY_WRONG : Verdict.RIGHT;
            case "language" -> cites ? Verdict.CONFIDENTLY_WRONG
                    : c.facts().stream().allMatch(f -> f.stream().anyMatch(text::contains)) ? Verdict.RIGHT : Verdict.DECLINED;
            case "contact" -> c.facts().stream().allMatch(f -> f.stream().anyMatch(text::contains)) ? Verdict.RIGHT
                    : cites ? Verdict.OTHER : Verdict.DECLINED;
            default -> throw new IllegalArgumentException("unknown kind " + c.kind() + " in the question set");
        };
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        for (String line : resource("answers/visitor-questions.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] cells = line.split("\t");
            boolean followUp = cells[0].startsWith("+");
            List<List<String>> facts = new ArrayList<>();
            if (cells.length > 2) {
                for (String fact : cells[2].split(";")) {
                    facts.add(List.of(fact.toLowerCase(Locale.ROOT).strip().split("\\|")));
                }
            }
            out.add(new Case(cells[0].substring(followUp ? 1 : 0), followUp, cells[1].strip(), facts));
        }
        return out;
    }

    private static List<ThreadStreamEvent> create(String text) {
        return send("{\"type\":\"threads.create\",\"params\":{\"input\":" + input(text) + "}}");
    }

    private static List<ThreadStreamEvent> add(String thread, String text) {
        return send("{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + thread + "\",\"input\":"
                + input(text) + "}}");
    }

    private static String input(String text) {
        return "{\"content\":[{\"type\":\"input_text\",\"text\":" + ChatKitJson.writeStorage(text)
                + "}],\"attachments\":[],\"inference_options\":{}}";
    }

    private static List<ThreadStreamEvent> send(String body) {
        List<ThreadStreamEvent> events = new ArrayList<>();
        ((Result.Stream) server.process(body.getBytes(StandardCharsets.UTF_8), RequestContext.of("visitor")))
                .body().writeTo(events::add);
        return events;
    }

    private static ThreadItem.AssistantMessage reply(List<ThreadStreamEvent> events) {
        return events.stream()
                .filter(e -> e instanceof ThreadStreamEvent.ItemDone d && d.item() instanceof ThreadItem.AssistantMessage)
                .map(e -> (ThreadItem.AssistantMessage) ((ThreadStreamEvent.ItemDone) e).item()).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no reply in " + events));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AnswerQualityTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
