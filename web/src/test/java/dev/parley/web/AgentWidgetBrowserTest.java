package dev.parley.web;

import static dev.parley.web.WidgetPage.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Order;
import dev.parley.protocol.ThreadItem;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * An agent that answers with a widget, end to end in Chromium: the documented booking workflow
 * ({@code docs/examples/booking/book-intro-call.json}) published from a workflows folder on a server as an operator runs it
 * (embedded provider), its form filled from the agent's structured output, submitted, and the paused run going on
 * from the form's values to the End's confirmation.
 */
class AgentWidgetBrowserTest {
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(available(), "Browser tests skipped: install Debian's chromium and chromium-driver");
        Path dir = Files.createTempDirectory("parley-agent-widget-");
        Path workflows = Files.createDirectories(dir.resolve("workflows"));
        Files.copy(Path.of("..", "docs", "examples", "booking", "book-intro-call.json"), workflows.resolve("book-intro-call.json"));
        AssistantConfig assistant = AssistantConfig.defaults().withWorkflowsDir(workflows).withWorkflowId("wf_book_call");
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir);
        server = TestServer.startWorkflows(config, assistant, Providers.open(assistant, dir), true);
        launch();
    }

    @AfterAll
    static void stop() {
        quit();
        if (server != null) server.close();
    }

    @Test
    void theDemoPagesBookingButtonAsksWithTheToolChosen() {
        visit(server);
        driver.findElement(org.openqa.selenium.By.id("book-call")).click();
        waitFor("the booking form", () -> !shadow().findElements(By.cssSelector(".msg.widget form.w-form")).isEmpty());
        assertThat(shadow().findElement(By.cssSelector(".msg.user")).getText()).isEqualTo("I would like to book an introduction call.");
    }

    @Test
    void theAgentsFormIsFilledFromItsOutputAndSubmittingItResumesTheWorkflow() throws IOException {
        visit(server);
        open();
        // Without the tool the workflow answers from the knowledge base; with it, the booking agent answers.
        send("How long does a website take?");
        waitFor("the knowledge-base answer", () -> doneReplies() == 1);
        assertThat(shadow().findElements(By.cssSelector(".msg.widget"))).isEmpty();
        shadow().findElement(By.cssSelector("button[data-tool=book_call]")).click();
        assertThat(composer().getAttribute("placeholder")).isEqualTo("Tell us what the call is about");
        send("Can we talk about a new website?");
        waitFor("the booking form", () -> !shadow().findElements(By.cssSelector(".msg.widget form.w-form")).isEmpty());
        WebElement widget = shadow().findElement(By.cssSelector(".msg.widget"));
        assertThat(widget.findElement(By.cssSelector(".w-title")).getText()).as("bound from the structured output")
                .isEqualTo("Book an introduction call");
        assertThat(widget.findElements(By.cssSelector("select[name=time] option")).stream().map(WebElement::getText).toList())
                .as("a list bound whole: the Select's options").containsExactly("Pick a time", "09:30", "13:00", "16:30");
        assertThat(doneReplies()).as("the run waits for the form: no reply yet").isEqualTo(1);

        widget.findElement(By.cssSelector("input[name=name]")).sendKeys("Ada Lovelace");
        widget.findElement(By.cssSelector("input[name=email]")).sendKeys("ada@example.com");
        js("const d = root.querySelector('input[name=day]'); d.value = '2026-12-03';"
                + "const s = root.querySelector('select[name=time]'); s.value = '13:00';");
        widget.findElement(By.cssSelector("textarea[name=about]")).sendKeys("A booking site for a bakery");
        js("root.querySelector('.msg.widget').scrollIntoView()");
        screenshot("widget-agent-form.png");
        widget.findElement(By.cssSelector("button[type=submit]")).click();

        waitFor("the confirmation", () -> doneReplies() == 2);
        assertThat(lastReplyText()).startsWith("Thank you, your call is booked.")
                .contains("name: Ada Lovelace").contains("email: ada@example.com").contains("day: 2026-12-03")
                .contains("time: 13:00").contains("about: A booking site for a bakery");
        assertThat(js("return [...root.querySelectorAll('.msg.widget input, .msg.widget select, .msg.widget button')]"
                + ".every(e => e.disabled)")).as("the sent form stays, locked").isEqualTo(true);
        assertThat(js("return root.querySelector('.msg.widget input[name=name]').value")).isEqualTo("Ada Lovelace");

        String thread = (String) js("return host.threadId");
        var items = server.store().loadItems(userId(), thread, null, 10, Order.ASC).data();
        assertThat(items).anySatisfy(i -> assertThat(i).isInstanceOfSatisfying(ThreadItem.Widget.class, w -> {
            JsonNode input = w.widget().findParents("name").stream()
                    .filter(n -> n.path("name").asText().equals("email")).findFirst().orElseThrow();
            assertThat(input.path("defaultValue").asText()).as("stored locked, with what was sent").isEqualTo("ada@example.com");
        }));
    }
}
