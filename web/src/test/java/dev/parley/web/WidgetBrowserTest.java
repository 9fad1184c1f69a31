package dev.parley.web;

import static dev.parley.web.WidgetPage.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.Order;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;
import dev.parley.server.Turn;
import dev.parley.store.Feedback;
import dev.parley.store.IdKind;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The chat widget in a real browser (Debian's headless {@code chromium}, driven by its {@code chromedriver})
 * against real running servers: the demo page at {@code /} exactly as {@code ./parley} serves it, answered by
 * the embedded provider, and the same page on a server whose replies each test scripts (for hostile replies,
 * widgets and broken connections). Nothing is mocked between the browser and the store.
 *
 * <p>Skips, saying why, when {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} is missing; CI installs
 * both ({@code .ci/run}). Screenshots land in {@code target/widget-screenshots/}.
 */
class WidgetBrowserTest {
    static final String GREETING = "Hi! I'm your AI assistant. How can I help you today?";
    static final String PROMPT_1 = "What can you help me with?";
    static final String PROMPT_2 = "How long does a landing page take?";
    static final String PROMPT_3 = "What does a company website cost?";

    static TestServer embedded;
    static TestServer scripted;
    static final ScriptedResponder responder = new ScriptedResponder();

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(available(),
                "Browser tests skipped: install Debian's chromium and chromium-driver (apt-get install -y chromium "
                        + "chromium-driver) to run them; CI does so in .ci/run");
        Path dir = Files.createTempDirectory("parley-widget-");
        AssistantConfig assistant = AssistantConfig.defaults();
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir);
        embedded = TestServer.startWorkflows(config, assistant, Providers.open(assistant, dir), true);
        scripted = TestServer.start(responder);

        launch();
    }

    @AfterAll
    static void stop() {
        quit();
        if (embedded != null) embedded.close();
        if (scripted != null) scripted.close();
    }

    @BeforeEach
    void resetScripts() {
        responder.script = WidgetBrowserTest::streamedReply;
        responder.actionScript = (turn, action, sender, events) -> {};
        responder.calls.clear();
    }

    // ---- the seed's product -------------------------------------------------------------------------

    @Test
    void launcherOpensAndClosesThePanelByMouseAndKeyboard() {
        visit(scripted);
        WebElement launcher = shadow().findElement(By.cssSelector(".launcher"));
        assertThat(launcher.getAttribute("aria-label")).isEqualTo("Open chat");
        assertThat(launcher.getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(panel().isDisplayed()).isFalse();
        Map<?, ?> box = (Map<?, ?>) js("const r = root.querySelector('.launcher').getBoundingClientRect();"
                + "return {right: innerWidth - r.right, bottom: innerHeight - r.bottom};");
        assertThat(number(box.get("right"))).as("launcher sits bottom-right").isBetween(8.0, 40.0);
        assertThat(number(box.get("bottom"))).isBetween(8.0, 40.0);

        launcher.click();
        assertThat(panel().isDisplayed()).isTrue();
        assertThat(launcher.getAttribute("aria-label")).isEqualTo("Close chat");
        assertThat(launcher.getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(panel().getRect().getWidth()).as("the seed's 400×600 panel").isEqualTo(400);
        assertThat(panel().getRect().getHeight()).isEqualTo(600);
        assertThat(js("return root.activeElement && root.activeElement.tagName")).as("focus moves to the composer")
                .isEqualTo("TEXTAREA");

        launcher.click();
        assertThat(panel().isDisplayed()).isFalse();
        assertThat(launcher.getAttribute("aria-label")).isEqualTo("Open chat");

        // Keyboard only: Enter on the focused launcher opens, Escape closes and gives focus back.
        js("root.querySelector('.launcher').focus()");
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        waitFor("panel open by keyboard", () -> panel().isDisplayed());
        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        waitFor("panel closed by Escape", () -> !panel().isDisplayed());
        assertThat(js("return root.activeElement && root.activeElement.className")).isEqualTo("launcher");
    }

    @Test
    void attributesAreMirroredByTypedProperties() {
        visit(scripted);
        remount("");
        js("host.greeting = 'Hello from a property'; host.colorScheme = 'dark'; host.apiUrl = '/chatkit';");
        assertThat(js("return [host.getAttribute('greeting'), host.getAttribute('color-scheme'), "
                + "host.getAttribute('api-url')]")).isEqualTo(List.of("Hello from a property", "dark", "/chatkit"));
        waitFor("the greeting to follow the attribute",
                () -> "Hello from a property".equals(js("return root.querySelector('.greeting').textContent")));
        js("host.setAttribute('color-scheme', 'sepia'); host.placeholder = 'Type here'; host.greeting = '';");
        assertThat(js("return [host.colorScheme, host.placeholder, host.hasAttribute('greeting'), host.locale]"))
                .as("unknown schemes read as the default; an empty value removes the attribute")
                .isEqualTo(List.of("light", "Type here", false, ""));
    }

    @Test
    void startScreenShowsTheSeedGreetingPromptsAndPlaceholder() throws IOException {
        visit(embedded);
        open();
        assertThat(shadow().findElement(By.cssSelector(".greeting")).getText()).isEqualTo(GREETING);
        List<String> prompts = shadow().findElements(By.cssSelector(".prompt")).stream().map(WebElement::getText).toList();
        assertThat(prompts).containsExactly(PROMPT_1, PROMPT_2, PROMPT_3);
        assertThat(composer().getAttribute("placeholder")).isEqualTo("Ask me anything...");
        screenshot("widget-start-screen.png");
    }

    @Test
    void clickingAPromptSendsItAndTheReplyStreamsIn() throws IOException {
        visit(embedded);
        open();
        countRenders();
        shadow().findElements(By.cssSelector(".prompt")).getLast().click();

        waitFor("the reply to finish", () -> doneReplies() == 1);
        assertThat(shadow().findElement(By.cssSelector(".msg.user")).getText()).isEqualTo(PROMPT_3);
        String reply = lastReply().getText();
        assertThat(reply).isNotBlank();
        List<Long> partial = partialRenders(reply);
        assertThat(partial).as("distinct partial renders before the end: %s", partial).hasSizeGreaterThanOrEqualTo(3);
        assertThat(shadow().findElements(By.cssSelector(".msg.assistant .sources li"))).as("cited sources").isNotEmpty();

        String thread = (String) js("return host.threadId");
        var items = embedded.store().loadItems(userId(), thread, null, 10, Order.ASC).data();
        assertThat(items.getFirst()).isInstanceOfSatisfying(ThreadItem.UserMessage.class,
                m -> assertThat(m.text()).isEqualTo(PROMPT_3));
        screenshot("widget-conversation.png");
    }

    @Test
    void eachStarterPromptIsAnsweredFromTheKnowledgeBaseWithItsSources() {
        for (int i = 0; i < 3; i++) {
            visit(embedded);
            open();
            WebElement prompt = shadow().findElements(By.cssSelector(".prompt")).get(i);
            String text = prompt.getText();
            prompt.click();
            waitFor("the reply to " + text, () -> doneReplies() == 1);
            String reply = lastReplyText();
            // Not the embedded provider's "I can't answer that…", nor a language or contact acknowledgement.
            assertThat(reply).as(text).isNotBlank().doesNotStartWith("I can't answer").doesNotStartWith("I can only read");
            assertThat(shadow().findElements(By.cssSelector(".msg.assistant .sources li"))).as("%s cites a source", text)
                    .isNotEmpty();
        }
    }

    @Test
    void reloadKeepsTheConversation() {
        visit(embedded);
        open();
        send("Can you make a mortgage calculator we can put on our site?");
        waitFor("the reply", () -> doneReplies() == 1);
        String reply = lastReply().getText();
        String cookie = cookie();

        driver.navigate().refresh();
        waitFor("the restored reply", () -> doneReplies() == 1);
        assertThat(panel().isDisplayed()).as("the panel stays open across the reload").isTrue();
        assertThat(shadow().findElement(By.cssSelector(".msg.user")).getText())
                .isEqualTo("Can you make a mortgage calculator we can put on our site?");
        assertThat(lastReply().getText()).isEqualTo(reply);
        assertThat(cookie()).as("the same visitor, by cookie").isEqualTo(cookie);
    }

    @Test
    void historyListsRenamesReopensAndDeletesThreads() {
        responder.script = (turn, input, events) -> {
            turn.updateThread(t -> t.withTitle(input.text()));
            streamedReply(turn, input, events);
        };
        visit(scripted);
        open();
        send("First topic");
        waitFor("first reply", () -> doneReplies() == 1);
        String first = (String) js("return host.threadId");
        shadow().findElement(By.cssSelector("button[aria-label='New chat']")).click();
        waitFor("the start screen again", () -> shadow().findElement(By.cssSelector(".start")).isDisplayed());
        send("Second topic");
        waitFor("second reply", () -> doneReplies() == 1);
        String second = (String) js("return host.threadId");
        assertThat(second).isNotEqualTo(first);

        shadow().findElement(By.cssSelector("button[aria-label='History']")).click();
        waitFor("two threads listed", () -> historyRows().size() == 2);
        assertThat(historyRows().stream().map(r -> r.findElement(By.cssSelector(".open span")).getText()).toList())
                .containsExactly("Second topic", "First topic");

        // Rename the older one, by keyboard.
        historyRow(first).findElement(By.cssSelector("[data-action=rename]")).click();
        WebElement name = historyRow(first).findElement(By.cssSelector("input"));
        name.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Renamed topic", Keys.ENTER);
        waitFor("the new name", () -> historyRow(first).getText().contains("Renamed topic"));
        assertThat(scripted.store().loadThread(userId(), first).title()).isEqualTo("Renamed topic");

        // Reopen it.
        historyRow(first).findElement(By.cssSelector(".open")).click();
        waitFor("the old thread", () -> first.equals(js("return host.threadId")) && doneReplies() == 1);
        assertThat(shadow().findElement(By.cssSelector(".msg.user")).getText()).isEqualTo("First topic");

        // Delete the other one (two steps, so a slip of the finger does not lose a conversation).
        shadow().findElement(By.cssSelector("button[aria-label='History']")).click();
        waitFor("the list", () -> historyRows().size() == 2);
        historyRow(second).findElement(By.cssSelector("[data-action=delete]")).click();
        historyRow(second).findElement(By.cssSelector("[data-action=confirm-delete]")).click();
        waitFor("one thread left", () -> historyRows().size() == 1);
        assertThat(scripted.store().loadThreads(userId(), 10, null, Order.DESC).data())
                .extracting(t -> t.id()).containsExactly(first);
    }

    @Test
    void feedbackAndRetryReachTheServer() {
        visit(scripted);
        open();
        send("Rate me");
        waitFor("the reply", () -> doneReplies() == 1);
        String thread = (String) js("return host.threadId");
        String replyId = lastReply().getAttribute("data-id");

        WebElement good = lastReply().findElement(By.cssSelector("button[aria-label='Good response']"));
        good.click();
        waitFor("feedback acknowledged", () -> "true".equals(good.getAttribute("aria-pressed")));
        List<Feedback> feedback = scripted.store().loadFeedback(userId(), thread);
        assertThat(feedback).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("positive");
            assertThat(f.itemIds()).containsExactly(replyId);
        });

        lastReply().findElement(By.cssSelector("button[data-retry]")).click();
        waitFor("a new reply", () -> doneReplies() == 1 && !replyId.equals(lastReply().getAttribute("data-id")));
        assertThat(responder.calls).hasSize(2);
        assertThat(responder.lastCall().input().text()).isEqualTo("Rate me");
    }

    // ---- hostile replies ---------------------------------------------------------------------------

    @Test
    void htmlAndMarkdownInjectionInAReplyIsNotExecuted() {
        String hostile = """
                Here you go: <img src=x onerror="window.__pwned='img'"> and <script>window.__pwned='script'</script>
                <svg onload="window.__pwned='svg'"></svg> <iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>

                [click me](javascript:window.__pwned='link') and ![pic](javascript:window.__pwned='image')
                <a href="javascript:window.__pwned='anchor'">raw anchor</a> **bold survives**""";
        responder.script = (turn, input, events) -> {
            streamText(turn, events, hostile);
            var card = ChatKitJson.emptyObject().put("type", "Card");
            card.putArray("children").addObject().put("type", "Text")
                    .put("value", "<img src=y onerror=\"window.__pwned='widget'\">");
            events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.Widget(
                    turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), card, null)));
        };
        visit(scripted);
        open();
        send("Say something nasty");
        waitFor("the reply", () -> doneReplies() == 1);
        WebElement reply = lastReply();
        for (WebElement link : reply.findElements(By.cssSelector("a"))) link.click();

        assertThat(js("return window.__pwned === undefined ? null : String(window.__pwned)")).isNull();
        assertThat(js("return root.querySelectorAll('[onerror], [onload], script, iframe, svg:not(.icon)').length"))
                .isEqualTo(0L);
        assertThat(js("return [...root.querySelectorAll('a, img')].filter(e => /javascript:/i.test("
                + "e.getAttribute('href') || e.getAttribute('src') || '')).length")).isEqualTo(0L);
        assertThat(reply.getText()).as("raw HTML is shown as text, Markdown still works")
                .contains("<img src=x onerror=").contains("bold survives");
        assertThat(reply.findElement(By.cssSelector("strong")).getText()).isEqualTo("bold survives");
        assertThat(shadow().findElement(By.cssSelector(".msg.widget")).getText()).contains("<img src=y onerror=");
    }

    // ---- streaming and failures --------------------------------------------------------------------

    @Test
    void textAppearsWhileTheServerIsStillStreaming() throws InterruptedException {
        var firstHalfShown = new CountDownLatch(1);
        responder.script = (turn, input, events) -> {
            String id = turn.newId(IdKind.MESSAGE);
            events.emit(new ThreadStreamEvent.ItemAdded(
                    new ThreadItem.AssistantMessage(id, turn.thread().id(), turn.now(), List.of())));
            events.emit(new ThreadStreamEvent.ItemUpdated(id, new ThreadItemUpdate.TextDelta(0, "First half, ")));
            // The stream stays open until the browser has shown the first half.
            firstHalfShown.await(20, TimeUnit.SECONDS);
            events.emit(new ThreadStreamEvent.ItemUpdated(id, new ThreadItemUpdate.TextDelta(0, "second half.")));
            events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.AssistantMessage(id, turn.thread().id(),
                    turn.now(), List.of(AssistantContent.of("First half, second half.")))));
        };
        visit(scripted);
        open();
        send("Go slowly");
        waitFor("the first half", () -> lastReplyText().contains("First half"));
        assertThat(lastReplyText()).doesNotContain("second half");
        assertThat(lastReply().getAttribute("aria-busy")).isEqualTo("true");
        firstHalfShown.countDown();
        waitFor("the rest", () -> doneReplies() == 1);
        assertThat(lastReplyText()).isEqualTo("First half, second half.");
    }

    @Test
    void aFailedRequestShowsItsUrlAndStatusAndKeepsWhatWasTyped() {
        visit(scripted);
        remount("api: { url: '/chatkit-behind-a-broken-proxy' }");
        open();
        send("Please keep this text");
        WebElement alert = waitForAlert();
        assertThat(alert.getText()).contains(scripted.uri("/chatkit-behind-a-broken-proxy").toString())
                .contains("HTTP 404");
        assertThat(composer().getAttribute("value")).isEqualTo("Please keep this text");
        assertThat(shadow().findElements(By.cssSelector(".msg.user"))).as("nothing pretends to be sent").isEmpty();
    }

    @Test
    void anExpiredSecretIsRefreshedSilently() {
        visit(scripted);
        open();
        send("Hello");
        waitFor("the reply", () -> doneReplies() == 1);
        // The server stops accepting the secret the widget holds, as after its expiry or a key rotation: the
        // widget's next request arrives with a secret whose signature no longer verifies. (Logging out would not
        // do: that ends the browser's identity, and a refreshed secret then belongs to someone new.)
        js("""
                const pageFetch = window.fetch;
                window.fetch = async (url, init) => {
                  if (window.__refused !== undefined || !String(url).endsWith('/chatkit')) return pageFetch(url, init);
                  window.__refused = null;
                  const headers = new Headers(init.headers);
                  headers.set('Authorization', headers.get('Authorization') + 'A');
                  const res = await pageFetch(url, { ...init, headers });
                  window.__refused = res.status;
                  return res;
                };""");
        send("Still there?");
        waitFor("the second reply", () -> doneReplies() == 2);
        assertThat(js("return window.__refused")).as("the held secret was refused").isEqualTo(401L);
        assertThat(shadow().findElement(By.cssSelector(".alert")).isDisplayed()).isFalse();
    }

    @Test
    void aDroppedConnectionOffersRetryThatFinishesTheReply() {
        visit(scripted);
        // A page-level fetch that cuts the first stream once the server is working on the reply, as a flaky
        // network would.
        remount("""
                api: { url: '/chatkit', fetch: async (url, init) => {
                  const res = await fetch(url, init);
                  if (window.__cut || !(res.headers.get('Content-Type') || '').startsWith('text/event-stream')) return res;
                  window.__cut = true;
                  const reader = res.body.getReader();
                  let seen = '';
                  const body = new ReadableStream({ async pull(c) {
                    if (seen.includes('progress_update')) { reader.cancel(); c.error(new TypeError('network error')); return; }
                    const chunk = await reader.read();
                    if (chunk.done) { c.close(); return; }
                    seen += new TextDecoder().decode(chunk.value);
                    c.enqueue(chunk.value);
                  } });
                  return new Response(body, { status: res.status, headers: res.headers });
                } }""");
        responder.script = (turn, input, events) -> {
            events.emit(new ThreadStreamEvent.ProgressUpdate(null, "Looking it up"));
            Thread.sleep(300);
            streamedReply(turn, input, events);
        };
        open();
        send("Flaky question");
        WebElement alert = waitForAlert();
        assertThat(alert.getText()).contains("connection was lost");
        WebElement retry = alert.findElement(By.cssSelector("button.primary"));
        assertThat(retry.getText()).isEqualTo("Retry");
        retry.click();
        waitFor("the reply after retry", () -> doneReplies() == 1);
        assertThat(lastReplyText()).isEqualTo("Hello from the assistant, streamed in pieces.");
        assertThat(shadow().findElements(By.cssSelector(".msg.user"))).hasSize(1);
        assertThat(responder.calls).hasSize(2);
    }

    @Test
    void widgetButtonsSendTheirActionToTheServer() {
        responder.script = (turn, input, events) -> {
            var card = ChatKitJson.emptyObject().put("type", "Card");
            var children = card.putArray("children");
            children.addObject().put("type", "Text").put("value", "Send the proposal?");
            var row = children.addObject().put("type", "Row");
            for (String choice : List.of("approve", "reject")) {
                var button = row.withArray("children").addObject().put("type", "Button").put("label", choice);
                button.putObject("onClickAction").put("type", "parley.approval").putObject("payload").put("choice", choice);
            }
            events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.Widget(
                    turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), card, null)));
        };
        responder.actionScript = (turn, action, sender, events) -> events.emit(new ThreadStreamEvent.ItemDone(
                new ThreadItem.AssistantMessage(turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(),
                        List.of(AssistantContent.of("You chose " + action.payload().path("choice").asText() + ".")))));
        visit(scripted);
        open();
        send("Draft a proposal");
        waitFor("the card", () -> !shadow().findElements(By.cssSelector(".w-card button")).isEmpty());
        WebElement approve = shadow().findElements(By.cssSelector(".w-card button")).getFirst();
        assertThat(approve.getText()).isEqualTo("approve");
        approve.click();
        waitFor("the answer", () -> doneReplies() == 1);
        assertThat(lastReplyText()).isEqualTo("You chose approve.");
        assertThat(responder.lastCall().action().type()).isEqualTo("parley.approval");
        assertThat(responder.lastCall().sender()).isNotNull();
    }

    @Test
    void anAttachmentIsUploadedInTwoPhasesAndSentWithTheMessage() throws IOException {
        Path file = Files.createTempFile("brief-", ".txt");
        Files.writeString(file, "We need a booking page.");
        String name = file.getFileName().toString();
        visit(scripted);
        open();
        shadow().findElement(By.cssSelector("input[type=file]")).sendKeys(file.toString());
        waitFor("the upload", () -> shadow().findElement(By.cssSelector(".composer .chip")).getText().equals(name));
        send("Here is our brief");
        waitFor("the reply", () -> doneReplies() == 1);
        assertThat(shadow().findElement(By.cssSelector(".msg.user .chip")).getText()).isEqualTo(name);
        ThreadItem.UserMessage sent = responder.lastCall().input();
        assertThat(sent.attachments()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo(name);
            assertThat(scripted.store().loadAttachment(userId(), a.id())).isNotNull();
        });
        Files.deleteIfExists(file);
    }

    @Test
    void aClientToolCallIsAnsweredByThePageAndTheReplyContinues() {
        responder.script = (turn, input, events) -> {
            if (input == null) {
                var call = (ThreadItem.ClientToolCall) turn.loadItems(null, 1, Order.DESC).data().getFirst();
                streamText(turn, events, "The page said " + call.output().path("colour").asText() + ".");
                return;
            }
            var args = ChatKitJson.emptyObject().put("what", "colour");
            events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.ClientToolCall(turn.newId(IdKind.MESSAGE),
                    turn.thread().id(), turn.now(), null, "call_1", "get_page_colour", args, null)));
        };
        visit(scripted);
        remount("""
                api: { url: '/chatkit' },
                onClientTool: async ({ name, params }) => ({ colour: name === 'get_page_colour' && params.what ? 'teal' : '?' })""");
        open();
        send("Which colour is the page?");
        waitFor("the reply after the tool", () -> doneReplies() == 1);
        assertThat(lastReplyText()).isEqualTo("The page said teal.");
    }

    // ---- small screens -----------------------------------------------------------------------------

    @Test
    void theNarrowLayoutFillsA375x667Screen() throws IOException {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 375, "height", 667, "deviceScaleFactor", 2, "mobile", true));
        try {
            visit(embedded);
            open();
            Map<?, ?> layout = (Map<?, ?>) js("""
                    const p = root.querySelector('.panel').getBoundingClientRect();
                    const c = root.querySelector('.composer').getBoundingClientRect();
                    const l = root.querySelector('.launcher');
                    return {x: p.left, y: p.top, w: p.width, h: p.height, composerBottom: c.bottom,
                      vw: innerWidth, vh: innerHeight, launcher: getComputedStyle(l).display,
                      overflow: root.querySelector('.panel').scrollWidth - root.querySelector('.panel').clientWidth};""");
            assertThat(number(layout.get("vw"))).isEqualTo(375);
            assertThat(number(layout.get("x"))).isZero();
            assertThat(number(layout.get("y"))).isZero();
            assertThat(number(layout.get("w"))).isEqualTo(375);
            assertThat(number(layout.get("h"))).isEqualTo(number(layout.get("vh")));
            assertThat(number(layout.get("composerBottom"))).isLessThanOrEqualTo(number(layout.get("vh")));
            assertThat(number(layout.get("overflow"))).as("no sideways scrolling").isLessThanOrEqualTo(0);
            assertThat(layout.get("launcher")).as("the panel brings its own close button").isEqualTo("none");
            shadow().findElement(By.cssSelector(".header button[aria-label='Close chat']")).click();
            waitFor("closed", () -> !panel().isDisplayed());
            screenshot("widget-narrow-closed.png");
        } finally {
            desktop();
        }
    }

    // ---- scripted replies ----------------------------------------------------------------------------

    static void streamedReply(Turn turn, ThreadItem.UserMessage input, EventSink events) {
        turn.updateThread(t -> t.title() == null ? t.withTitle(input.text()) : t);
        streamText(turn, events, "Hello from the assistant, streamed in pieces.");
    }

    static void streamText(Turn turn, EventSink events, String text) {
        String id = turn.newId(IdKind.MESSAGE);
        String thread = turn.thread().id();
        var created = turn.now();
        events.emit(new ThreadStreamEvent.ItemAdded(new ThreadItem.AssistantMessage(id, thread, created, List.of())));
        for (int at = 0; at < text.length(); at += 12) {
            events.emit(new ThreadStreamEvent.ItemUpdated(id,
                    new ThreadItemUpdate.TextDelta(0, text.substring(at, Math.min(text.length(), at + 12)))));
        }
        events.emit(new ThreadStreamEvent.ItemDone(
                new ThreadItem.AssistantMessage(id, thread, created, List.of(AssistantContent.of(text)))));
    }
}
