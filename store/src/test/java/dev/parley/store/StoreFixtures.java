package dev.parley.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Annotation;
import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.Attachment;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.InferenceOptions;
import dev.parley.protocol.Page;
import dev.parley.protocol.Question;
import dev.parley.protocol.Task;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.protocol.UserMessageContent;
import dev.parley.protocol.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The stores a contract test opens (and closes after each test), and the records it saves into them. */
public abstract class StoreFixtures {
    protected static final String ALICE = "user-alice";
    protected static final String BOB = "user-bob";
    protected static final Instant T0 = Instant.parse("2025-10-14T12:34:56.123456Z");

    private final List<Store> opened = new ArrayList<>();
    protected Store store;

    /** {@return a new, empty store using the generator; the contract closes it after each test} */
    protected abstract Store newStore(IdGenerator ids);

    @BeforeEach
    protected void openStore() {
        store = open(IdGenerator.timeOrdered());
    }

    @AfterEach
    protected void closeStores() {
        for (Store s : opened) s.close();
    }

    protected Store open(IdGenerator ids) {
        Store s = newStore(ids);
        opened.add(s);
        return s;
    }

    // ---- fixtures ------------------------------------------------------------------------------------

    protected ThreadMetadata thread(String user, Instant createdAt) {
        var t = ThreadMetadata.create(store.ids().newId(IdKind.THREAD), createdAt);
        store.saveThread(user, t);
        return t;
    }

    protected ThreadItem.AssistantMessage message(String threadId, Instant createdAt, String text) {
        return new ThreadItem.AssistantMessage(
                store.ids().newId(IdKind.MESSAGE), threadId, createdAt, List.of(AssistantContent.of(text)));
    }

    protected static JsonNode json(String s) {
        return ChatKitJson.readStorage(s, JsonNode.class);
    }

    protected static Attachment.File fileAttachment(String threadId) {
        return new Attachment.File("atc_file1", "notes.txt", "text/plain", null, threadId,
                Map.of("storage_key", "k/1", "size", 12));
    }

    protected static Attachment.Image imageAttachment(String threadId) {
        return new Attachment.Image("atc_img1", "cat.png", "image/png",
                new Attachment.UploadDescriptor("https://up.example/1", "PUT", Map.of("X-My-Header", "v")),
                threadId, Map.of("owner_note", "server only"), "https://cdn.example/cat.png");
    }

    /** One item of every kind, each with its optional fields filled where it has any. */
    protected List<ThreadItem> oneOfEach(String thr) {
        Function<Integer, Instant> at = i -> T0.plusMillis(i);
        var url = new Annotation.Source.Url("Docs", "desc", "2025-01-01", "g", "https://docs.example", "Example");
        return List.of(
                new ThreadItem.UserMessage("msg_u1", thr, at.apply(1),
                        List.of(new UserMessageContent.InputText("Hello "),
                                new UserMessageContent.InputTag("ent_1", "Ann", json("{\"k\":[1,2]}"), "people", true)),
                        List.of(fileAttachment(thr), imageAttachment(thr)), "quoted text",
                        new InferenceOptions(new InferenceOptions.ToolChoice("search"), "gpt-x")),
                new ThreadItem.AssistantMessage("msg_a1", thr, at.apply(2), List.of(
                        new AssistantContent("Answer", List.of(new Annotation(url, 3))))),
                new ThreadItem.ClientToolCall("tc_1", thr, at.apply(3), "completed", "call_1", "get_weather",
                        json("{\"city\":\"Paris\"}"), json("{\"temp\":21.5}")),
                new ThreadItem.Widget("wd_1", thr, at.apply(4),
                        json("{\"type\":\"Card\",\"children\":[{\"type\":\"Text\",\"id\":\"t\",\"value\":\"Hi\"}]}"),
                        "Hi"),
                new ThreadItem.GeneratedImage("img_1", thr, at.apply(5),
                        new ThreadItem.GeneratedImage.Image("gi_1", "https://img.example/1.png")),
                new ThreadItem.StructuredInput("si_1", thr, at.apply(6), "answered", List.of(
                        new Question.MultipleChoice("q1", "Pick one", new Question.Answer(List.of("a"), false),
                                List.of(new Question.Option("a"), new Question.Option("b")), false),
                        new Question.Freeform("q2", "Why?", Question.Answer.SKIPPED, "free text"))),
                new ThreadItem.WorkflowItem("wf_1", thr, at.apply(7), new Workflow("reasoning",
                        List.of(new Task.Thought("complete", "Thinking", "step one"),
                                new Task.File("none", "Files", List.of(new Annotation.Source.File(
                                        "Spec", null, null, null, "spec.pdf")))),
                        new Workflow.Summary(null, null, 4), true)),
                new ThreadItem.TaskItem("tsk_1", thr, at.apply(8),
                        new Task.WebSearch("loading", "Search", "q", List.of("java sqlite"), List.of(url))),
                new ThreadItem.EndOfTurn("eot_1", thr, at.apply(9)),
                new ThreadItem.HiddenContext("hc_1", thr, at.apply(10), json("{\"note\":\"for the model\"}")),
                new ThreadItem.SdkHiddenContext("shcx_1", thr, at.apply(11), "user cancelled"));
    }

    protected static List<String> ids(Page<?> page) {
        return page.data().stream().map(r -> r instanceof ThreadItem i ? i.id() : ((ThreadMetadata) r).id()).toList();
    }
}
