package dev.parley.web;

import static dev.parley.web.WidgetPage.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.model.openai.OpenAiTranscriber;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.protocol.UserMessageContent;
import dev.parley.store.IdKind;
import dev.parley.web.config.ParleyConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * ChatKit's front-end surface on {@code <parley-chat>} in Chromium, against a running server whose replies each test
 * scripts: the options, the element's methods and events, every form component (validated, then submitted and read
 * by the server), Chart and Table, streamed widget updates, scrolling, a refused origin, and dictation through a
 * stand-in OpenAI transcription server on loopback fed by Chromium's fake microphone.
 */
class WidgetParityBrowserTest {
    static TestServer scripted;
    /** A second server the page's origin is not allowed on. */
    static TestServer elsewhere;
    static HttpServer transcription;
    static final ScriptedResponder responder = new ScriptedResponder();
    static final AtomicReference<byte[]> heard = new AtomicReference<>();

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(available(), "Browser tests skipped: install Debian's chromium and chromium-driver");
        // The stand-in for OpenAI's /audio/transcriptions: keeps the upload, answers with fixed words.
        transcription = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        transcription.createContext("/v1/audio/transcriptions", exchange -> {
            heard.set(exchange.getRequestBody().readAllBytes());
            byte[] body = "{\"text\":\"Book a call for Tuesday\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        transcription.start();
        var settings = new OpenAiSettings("sk-test", "http://127.0.0.1:" + transcription.getAddress().getPort() + "/v1",
                "gpt-5-nano");
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withDataDir(Files.createTempDirectory("parley-parity-"));
        scripted = TestServer.of(ParleyServer.start(config, responder,
                Transcribers.through(new OpenAiTranscriber(settings, null))));
        elsewhere = TestServer.start(responder);
        launch();
    }

    @AfterAll
    static void stop() {
        quit();
        if (scripted != null) scripted.close();
        if (elsewhere != null) elsewhere.close();
        if (transcription != null) transcription.stop(0);
    }

    @BeforeEach
    void reset() {
        responder.script = WidgetBrowserTest::streamedReply;
        responder.actionScript = (turn, action, sender, events) -> {};
        responder.calls.clear();
    }

    static JsonNode json(String text) throws IOException {
        return TestServer.JSON.readTree(text);
    }

    static void replyWithWidget(String widget) {
        responder.script = (turn, input, events) -> events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.Widget(
                turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), json(widget), null)));
    }

    // ---- widgets ----------------------------------------------------------------------------------------

    static final String EVERY_CONTROL = """
            {"type": "Card", "children": [{"type": "Form", "onSubmitAction": {"type": "booking.submit", "payload": {"form": "intro"}},
              "children": [
                {"type": "Title", "value": "Book an introduction call"},
                {"type": "Label", "value": "Your e-mail", "fieldName": "email"},
                {"type": "Input", "name": "email", "inputType": "email", "required": true, "placeholder": "you@example.com"},
                {"type": "Label", "value": "What is it about?", "fieldName": "topic"},
                {"type": "Textarea", "name": "topic", "rows": 2, "required": true},
                {"type": "Select", "name": "budget", "placeholder": "Budget", "required": true,
                 "options": [{"value": "s", "label": "Under €5k"}, {"value": "m", "label": "€5k–20k"}]},
                {"type": "DatePicker", "name": "day", "required": true, "min": "2026-01-01"},
                {"type": "RadioGroup", "name": "slot", "required": true,
                 "options": [{"value": "am", "label": "Morning"}, {"value": "pm", "label": "Afternoon"}]},
                {"type": "Checkbox", "name": "newsletter", "label": "Send me the newsletter"},
                {"type": "Button", "label": "Book the call", "submit": true}
              ]}]}""";

    @Test
    void aFormWithEveryInputComponentIsCheckedThenSubmittedWithItsValues() throws IOException {
        replyWithWidget(EVERY_CONTROL);
        responder.actionScript = (turn, action, sender, events) -> WidgetBrowserTest.streamText(turn, events,
                "Booked for " + action.payload().path("day").asText() + ".");
        visit(scripted);
        open();
        send("I'd like a call");
        waitFor("the form", () -> !shadow().findElements(By.cssSelector("form.w-form")).isEmpty());
        WebElement submit = shadow().findElement(By.cssSelector("form.w-form button[type=submit]"));
        assertThat(shadow().findElement(By.cssSelector("label.w-label")).getAttribute("for"))
                .as("a Label points at its field").isEqualTo(shadow().findElement(By.cssSelector("input[name=email]")).getAttribute("id"));

        // Empty and then a malformed e-mail: marked, explained, and nothing reaches the server.
        shadow().findElement(By.cssSelector("input[name=email]")).sendKeys("not-an-address");
        submit.click();
        waitFor("the validation messages", () -> shadow().findElements(By.cssSelector(".w-field.invalid")).size() == 5);
        assertThat(shadow().findElement(By.cssSelector("input[name=email]")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(shadow().findElements(By.cssSelector(".w-error:not([hidden])")).getFirst().getText())
                .isEqualTo("Please enter a valid email.");
        assertThat(responder.calls).as("an invalid form is not sent").hasSize(1);

        WebElement email = shadow().findElement(By.cssSelector("input[name=email]"));
        email.clear();
        email.sendKeys("ada@example.com");
        shadow().findElement(By.cssSelector("textarea[name=topic]")).sendKeys("A booking page");
        js("const s = root.querySelector('select[name=budget]'); s.value = 'm'; s.dispatchEvent(new Event('change', {bubbles: true}));"
                + "const d = root.querySelector('input[name=day]'); d.value = '2026-12-01'; d.dispatchEvent(new Event('input', {bubbles: true}));");
        shadow().findElements(By.cssSelector(".w-radios input")).getLast().click();
        shadow().findElement(By.cssSelector("input[name=newsletter]")).click();
        assertThat(shadow().findElements(By.cssSelector(".w-field.invalid"))).as("each message went with its edit").isEmpty();
        js("root.querySelector('.msg.widget').scrollIntoView()");
        screenshot("widget-form.png");
        submit.click();
        waitFor("the server's answer", () -> doneReplies() == 1);

        JsonNode payload = responder.lastCall().action().payload();
        assertThat(responder.lastCall().action().type()).isEqualTo("booking.submit");
        assertThat(payload.path("form").asText()).as("the action's own payload stays").isEqualTo("intro");
        assertThat(payload.path("email").asText()).isEqualTo("ada@example.com");
        assertThat(payload.path("topic").asText()).isEqualTo("A booking page");
        assertThat(payload.path("budget").asText()).isEqualTo("m");
        assertThat(payload.path("day").asText()).isEqualTo("2026-12-01");
        assertThat(payload.path("slot").asText()).isEqualTo("pm");
        assertThat(payload.path("newsletter").asBoolean()).isTrue();
        assertThat(lastReplyText()).isEqualTo("Booked for 2026-12-01.");
    }

    @Test
    void aChartIsDrawnAsSvgAndATableAsATable() throws IOException {
        replyWithWidget("""
                {"type": "Card", "children": [
                  {"type": "Title", "value": "Enquiries per month"},
                  {"type": "Chart", "xAxis": "month", "showYAxis": true,
                   "data": [{"month": "Jan", "web": 12, "calls": 5}, {"month": "Feb", "web": 18, "calls": 7},
                            {"month": "Mar", "web": 25, "calls": 4}],
                   "series": [{"type": "bar", "dataKey": "web", "label": "Web form", "color": "#2563eb"},
                              {"type": "line", "dataKey": "calls", "label": "Phone", "color": "#d97706"}]},
                  {"type": "Table", "children": [
                    {"type": "Table.Row", "header": true, "children": [{"type": "Table.Cell", "value": "Month"}, {"type": "Table.Cell", "value": "Total"}]},
                    {"type": "Table.Row", "children": [{"type": "Table.Cell", "value": "Jan"}, {"type": "Table.Cell", "children": [{"type": "Text", "value": "17"}]}]}
                  ]}]}""");
        visit(scripted);
        open();
        send("How are enquiries going?");
        waitFor("the chart", () -> !shadow().findElements(By.cssSelector(".w-chart svg")).isEmpty());
        assertThat(js("return root.querySelectorAll('.w-chart rect.bar').length")).as("one bar per month").isEqualTo(3L);
        assertThat(js("return [...root.querySelectorAll('.w-chart rect.bar')].map(r => Math.round(r.getBBox().height))"))
                .as("bars grow with their values").satisfies(h -> {
                    List<?> heights = (List<?>) h;
                    assertThat(number(heights.get(0))).isLessThan(number(heights.get(1)));
                    assertThat(number(heights.get(1))).isLessThan(number(heights.get(2)));
                });
        assertThat(js("return root.querySelectorAll('.w-chart path.line[data-series=calls]').length")).isEqualTo(1L);
        assertThat(shadow().findElement(By.cssSelector(".w-legend")).getText()).contains("Web form").contains("Phone");
        assertThat(shadow().findElements(By.cssSelector(".w-table th")).stream().map(WebElement::getText).toList())
                .containsExactly("Month", "Total");
        assertThat(shadow().findElements(By.cssSelector(".w-table td")).getLast().getText()).isEqualTo("17");
        js("root.querySelector('.w-chart').scrollIntoView()");
        screenshot("widget-chart.png");
    }

    @Test
    void streamedWidgetUpdatesChangeTheWidgetInPlace() throws IOException {
        responder.script = (turn, input, events) -> {
            String id = turn.newId(IdKind.MESSAGE);
            var first = json("{\"type\":\"Card\",\"children\":[{\"type\":\"Text\",\"id\":\"status\",\"value\":\"Checking\","
                    + "\"streaming\":true},{\"type\":\"Badge\",\"id\":\"badge\",\"label\":\"pending\"}]}");
            events.emit(new ThreadStreamEvent.ItemAdded(new ThreadItem.Widget(id, turn.thread().id(), turn.now(), first, null)));
            events.emit(new ThreadStreamEvent.ItemUpdated(id, new ThreadItemUpdate.WidgetTextDelta("status", " the calendar", false)));
            events.emit(new ThreadStreamEvent.ItemUpdated(id, new ThreadItemUpdate.WidgetComponentUpdated("badge",
                    json("{\"type\":\"Badge\",\"id\":\"badge\",\"label\":\"free on Tuesday\"}"))));
            Thread.sleep(300);
            var last = json("{\"type\":\"Card\",\"children\":[{\"type\":\"Title\",\"value\":\"Tuesday 10:00 is free\"}]}");
            events.emit(new ThreadStreamEvent.ItemUpdated(id, new ThreadItemUpdate.WidgetRootUpdated(last)));
            events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.Widget(id, turn.thread().id(), turn.now(), last, null)));
        };
        visit(scripted);
        js("""
                window.__seen = [];
                new MutationObserver(() => { const w = root.querySelector('.msg.widget');
                  if (w) window.__seen.push(w.textContent); }).observe(root, {subtree: true, childList: true, characterData: true});""");
        open();
        send("Is Tuesday free?");
        waitFor("the final root", () -> shadow().findElement(By.cssSelector(".msg.widget")).getText().equals("Tuesday 10:00 is free"));
        assertThat(js("return window.__seen.some(t => t.includes('Checking the calendar') && t.includes('free on Tuesday'))"))
                .as("the text delta and the component update were shown before the new root").isEqualTo(true);
    }

    // ---- options -------------------------------------------------------------------------------------------

    @Test
    void theOptionsChangeWhatTheyShould() {
        visit(scripted);
        remount("""
                api: { url: '/chatkit' },
                frameTitle: 'Kestrel help desk',
                header: { enabled: true, title: { text: 'Support' } },
                disclaimer: { text: 'Answers may be **wrong**.', highContrast: true },
                composer: {
                  placeholder: 'Ask away',
                  tools: [{ id: 'search_docs', label: 'Search the docs', icon: 'search', shortLabel: 'Docs',
                            placeholderOverride: 'Search the docs for…', pinned: true }],
                  models: [{ id: 'small', label: 'Fast' }, { id: 'large', label: 'Thorough', default: true },
                           { id: 'off', label: 'Retired', disabled: true }],
                  dictation: { enabled: true },
                },
                entities: { onTagSearch: async (q) => [{ id: 'ent_ada', title: 'Ada Lovelace', group: 'People', data: { crm: '42' } }]
                              .filter(e => e.title.toLowerCase().startsWith(q.toLowerCase())) },
                commands: [{ name: 'quote', description: 'Ask for a quote', prompt: 'I would like a quote for ' }],""");
        open();
        assertThat(panel().getAttribute("aria-label")).as("frameTitle").isEqualTo("Kestrel help desk");
        WebElement disclaimer = shadow().findElement(By.cssSelector(".disclaimer"));
        assertThat(disclaimer.getText()).isEqualTo("Answers may be wrong.");
        assertThat(disclaimer.findElement(By.cssSelector("strong")).getText()).isEqualTo("wrong");
        assertThat(disclaimer.getAttribute("class")).contains("high-contrast");
        assertThat(shadow().findElement(By.cssSelector("button.mic")).isDisplayed()).as("dictation button").isTrue();
        assertThat(js("return root.querySelector('.model-select').value")).as("the default model").isEqualTo("large");

        // A tool: selected, its short label and placeholder shown, sent as the tool choice with the model.
        WebElement tool = shadow().findElement(By.cssSelector("button[data-tool=search_docs]"));
        tool.click();
        waitFor("the tool selected", () -> "true".equals(shadow().findElement(By.cssSelector("button[data-tool=search_docs]")).getAttribute("aria-pressed")));
        assertThat(shadow().findElement(By.cssSelector("button[data-tool=search_docs]")).getText()).isEqualTo("Docs");
        assertThat(composer().getAttribute("placeholder")).isEqualTo("Search the docs for…");

        // "@" searches entities; the pick becomes a tag sent as input_tag content.
        composer().sendKeys("About @ad");
        waitFor("the entity suggestion", () -> shadow().findElement(By.cssSelector(".suggest")).isDisplayed());
        composer().sendKeys(Keys.ENTER);
        waitFor("the tag", () -> !shadow().findElements(By.cssSelector(".chips.tags .tag")).isEmpty());
        assertThat(composer().getAttribute("value")).isEqualTo("About ");
        composer().sendKeys("please", Keys.ENTER);
        waitFor("the reply", () -> doneReplies() == 1);
        ThreadItem.UserMessage sent = responder.lastCall().input();
        assertThat(sent.inferenceOptions().toolChoice().id()).isEqualTo("search_docs");
        assertThat(sent.inferenceOptions().model()).isEqualTo("large");
        assertThat(sent.content()).anySatisfy(c -> assertThat(c).isInstanceOfSatisfying(UserMessageContent.InputTag.class, t -> {
            assertThat(t.id()).isEqualTo("ent_ada");
            assertThat(t.text()).isEqualTo("Ada Lovelace");
            assertThat(t.data().path("crm").asText()).isEqualTo("42");
        }));
        assertThat(shadow().findElement(By.cssSelector(".msg.user .tag")).getText()).isEqualTo("@Ada Lovelace");

        // "/" lists the commands; picking one puts its prompt in the composer.
        composer().sendKeys("/qu");
        waitFor("the command list", () -> shadow().findElement(By.cssSelector(".suggest")).getText().contains("/quote"));
        composer().sendKeys(Keys.ENTER);
        assertThat(composer().getAttribute("value")).isEqualTo("I would like a quote for ");
    }

    @Test
    void headerHistoryAndTagMenuOptions() {
        visit(scripted);
        remount("""
                api: { url: '/chatkit' },
                header: { title: { enabled: false }, rightAction: { icon: 'settings-cog', onClick: () => { window.__clicked = true; } } },
                history: { showDelete: false },
                entities: { showComposerMenu: true, onTagSearch: async () => [{ id: 'ent_1', title: 'Kestrel Studio' }] },""");
        open();
        assertThat(shadow().findElement(By.cssSelector(".header h2")).isDisplayed()).as("title.enabled: false").isFalse();
        shadow().findElement(By.cssSelector("[data-header-action=rightAction]")).click();
        assertThat(js("return window.__clicked === true")).isEqualTo(true);

        shadow().findElement(By.cssSelector("button.tag-btn")).click();
        waitFor("the tag search", () -> shadow().findElement(By.cssSelector(".suggest")).getText().contains("Kestrel Studio"));
        assertThat(composer().getAttribute("value")).isEqualTo("@");
        composer().sendKeys(Keys.ESCAPE);

        composer().sendKeys(Keys.BACK_SPACE, "Hello", Keys.ENTER);
        waitFor("the reply", () -> doneReplies() == 1);
        js("host.showHistory()");
        waitFor("one chat listed", () -> historyRows().size() == 1);
        assertThat(historyRows().getFirst().findElements(By.cssSelector("[data-action=rename]"))).hasSize(1);
        assertThat(historyRows().getFirst().findElements(By.cssSelector("[data-action=delete]"))).as("showDelete: false").isEmpty();
    }

    @Test
    void initialThreadOpensThatThreadAndAutoScrollFalseLeavesTheScrollAlone() {
        responder.script = (turn, input, events) -> WidgetBrowserTest.streamText(turn, events,
                "A long answer. ".repeat(120));
        visit(scripted);
        open();
        send("First question");
        waitFor("the reply", () -> doneReplies() == 1);
        String thread = (String) js("return host.threadId");
        js("localStorage.clear()");
        remount("api: { url: '/chatkit' }, initialThread: '" + thread + "', thread: { autoScroll: false }");
        open();
        waitFor("the initial thread", () -> thread.equals(js("return host.threadId")) && doneReplies() == 1);
        send("Second question");
        waitFor("the second reply", () -> doneReplies() == 2);
        Map<?, ?> scroll = (Map<?, ?>) js("const b = root.querySelector('.body'); return {top: b.scrollTop, h: b.clientHeight, all: b.scrollHeight};");
        assertThat(number(scroll.get("top")) + number(scroll.get("h"))).as("left where the visitor's message was")
                .isLessThan(number(scroll.get("all")) - 200);

        remount("api: { url: '/chatkit' }, initialThread: null");
        open();
        assertThat(shadow().findElement(By.cssSelector(".start")).isDisplayed()).as("null: the start screen").isTrue();
        assertThat(js("return host.threadId")).isNull();
    }

    @Test
    void afterAFollowUpTheFinishedReplyIsScrolledIntoViewWithItsButtons() {
        responder.script = (turn, input, events) -> WidgetBrowserTest.streamText(turn, events,
                "Here is a thorough answer. ".repeat(60));
        visit(scripted);
        open();
        send("First");
        waitFor("the first reply", () -> doneReplies() == 1);
        send("And a follow-up?");
        waitFor("the follow-up's reply", () -> doneReplies() == 2);
        waitFor("the end in view", () -> {
            Map<?, ?> s = (Map<?, ?>) js("const b = root.querySelector('.body'); return {top: b.scrollTop, h: b.clientHeight, all: b.scrollHeight};");
            return number(s.get("top")) + number(s.get("h")) >= number(s.get("all")) - 2;
        });
        Map<?, ?> buttons = (Map<?, ?>) js("""
                const b = root.querySelector('.body').getBoundingClientRect();
                const a = [...root.querySelectorAll('.msg.assistant .actions')].pop().getBoundingClientRect();
                return {barBottom: a.bottom, bodyBottom: b.bottom};""");
        assertThat(number(buttons.get("barBottom"))).as("the reply's buttons are visible")
                .isLessThanOrEqualTo(number(buttons.get("bodyBottom")));
    }

    // ---- methods and events -------------------------------------------------------------------------------

    @Test
    void everyMethodWorksAndEveryEventIsAnnouncedUnderBothNames() {
        responder.script = (turn, input, events) -> {
            if (input.text().equals("fail please")) {
                events.emit(new ThreadStreamEvent.Error("custom", "Scripted failure", false));
                return;
            }
            events.emit(new ThreadStreamEvent.ClientEffect("highlight", json("{\"colour\":\"teal\"}")));
            WidgetBrowserTest.streamedReply(turn, input, events);
        };
        responder.actionScript = (turn, action, sender, events) -> WidgetBrowserTest.streamText(turn, events,
                "Action " + action.type() + " with " + action.payload().path("n").asText());
        visit(scripted);
        js("""
                window.__events = [];
                for (const name of ['ready', 'error', 'effect', 'response.start', 'response.end', 'thread.change',
                    'thread.load.start', 'thread.load.end', 'tool.change', 'log']) {
                  document.addEventListener('chatkit.' + name, (e) => window.__events.push('chatkit.' + name + ':' + JSON.stringify(e.detail)));
                  document.addEventListener('parley:' + name, () => window.__events.push('parley:' + name));
                }""");
        remount("api: { url: '/chatkit' }, composer: { tools: [{ id: 'search_docs', label: 'Docs', icon: 'search' }],"
                + " models: [{ id: 'small', label: 'Fast' }, { id: 'large', label: 'Thorough' }] },"
                + " onEffect: (e) => { window.__effect = e.name + ':' + e.data.colour; }");
        open();
        js("host.setComposerValue({ text: 'Typed by the page', selectedToolId: 'search_docs', selectedModelId: 'large' }); host.focusComposer();");
        assertThat(composer().getAttribute("value")).isEqualTo("Typed by the page");
        assertThat(js("return root.activeElement && root.activeElement.tagName")).isEqualTo("TEXTAREA");
        assertThat(js("return root.querySelector('.model-select').value")).isEqualTo("large");

        js("host.sendUserMessage({ text: 'From the page', toolChoice: { id: 'search_docs' }, model: 'small' })");
        waitFor("the reply", () -> doneReplies() == 1);
        ThreadItem.UserMessage sent = responder.lastCall().input();
        assertThat(sent.text()).isEqualTo("From the page");
        assertThat(sent.inferenceOptions().toolChoice().id()).isEqualTo("search_docs");
        assertThat(sent.inferenceOptions().model()).isEqualTo("small");
        assertThat(js("return window.__effect")).isEqualTo("highlight:teal");
        String thread = (String) js("return host.threadId");

        js("host.sendCustomAction({ type: 'page.ping', payload: { n: 7 } })");
        waitFor("the action's reply", () -> doneReplies() == 2);
        assertThat(responder.lastCall().action().type()).isEqualTo("page.ping");
        assertThat(lastReplyText()).isEqualTo("Action page.ping with 7");

        js("host.setThreadId(null)");
        waitFor("the start screen", () -> shadow().findElement(By.cssSelector(".start")).isDisplayed());
        js("host.setThreadId('" + thread + "')");
        waitFor("the thread again", () -> thread.equals(js("return host.threadId")) && doneReplies() == 2);

        // fetchUpdates: an item the server's API added while the page was open shows up.
        var added = scripted.store();
        added.addItem(userId(), new ThreadItem.AssistantMessage("msg_from_backend", thread, java.time.Instant.now(),
                List.of(dev.parley.protocol.AssistantContent.of("Added by the backend."))));
        js("host.fetchUpdates()");
        waitFor("the backend's item", () -> doneReplies() == 3);

        js("host.showHistory()");
        waitFor("the history", () -> shadow().findElement(By.cssSelector(".history")).isDisplayed());
        js("host.hideHistory()");
        waitFor("the chat again", () -> !shadow().findElement(By.cssSelector(".history")).isDisplayed());

        js("host.sendUserMessage({ text: 'fail please' })");
        waitFor("the error", () -> shadow().findElement(By.cssSelector(".alert")).isDisplayed());
        shadow().findElement(By.cssSelector("button[data-tool=search_docs]")).click();

        @SuppressWarnings("unchecked")
        List<Object> seen = (List<Object>) js("return window.__events");
        for (String name : List.of("ready", "error", "effect", "response.start", "response.end", "thread.change",
                "thread.load.start", "thread.load.end", "tool.change", "log")) {
            assertThat(seen).as("chatkit.%s and parley:%s", name, name)
                    .anySatisfy(e -> assertThat((String) e).startsWith("chatkit." + name + ":"))
                    .contains("parley:" + name);
        }
        assertThat(seen).contains("chatkit.thread.change:{\"threadId\":\"" + thread + "\"}");
        assertThat(seen).contains("chatkit.tool.change:{\"toolId\":\"search_docs\"}");
    }

    // ---- a refused origin, and dictation -------------------------------------------------------------------

    @Test
    void aSiteThatIsNotAllowedIsToldSoAndWhatToSet() {
        visit(scripted);
        String other = elsewhere.uri("/").toString().replaceAll("/$", "");
        remount("api: { url: '" + other + "/chatkit', sessionUrl: '" + other + "/api/chatkit/session' }");
        open();
        send("Hello?");
        WebElement alert = waitForAlert();
        String origin = scripted.uri("/").toString().replaceAll("/$", "");
        assertThat(alert.getText()).contains("This site (" + origin + ") is not allowed to use this chat server")
                .contains("PARLEY_ALLOWED_ORIGINS").doesNotContain("Check your connection");
    }

    @Test
    void dictationRecordsSendsInputTranscribeAndPutsTheTextInTheComposer() {
        heard.set(null);
        visit(scripted);
        remount("api: { url: '/chatkit' }, composer: { dictation: { enabled: true } }");
        open();
        composer().sendKeys("Please:");
        WebElement mic = shadow().findElement(By.cssSelector("button.mic"));
        mic.click();
        waitFor("recording", () -> "true".equals(mic.getAttribute("aria-pressed")));
        driver.executeScript("return new Promise(r => setTimeout(r, 800))");
        mic.click();
        waitFor("the transcript", () -> "Please: Book a call for Tuesday".equals(composer().getAttribute("value")));
        String upload = new String(heard.get(), StandardCharsets.ISO_8859_1);
        assertThat(upload).as("the recording went to the transcription route as a file")
                .contains("name=\"file\"; filename=\"dictation.").contains("Content-Type: audio/")
                .contains("name=\"model\"").contains("gpt-4o-mini-transcribe");
        assertThat(heard.get().length).as("it carried real audio").isGreaterThan(1000);
    }
}
