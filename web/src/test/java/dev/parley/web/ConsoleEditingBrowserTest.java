package dev.parley.web;

import static dev.parley.web.ConsoleBrowserTest.overlaps;
import static dev.parley.web.ConsolePage.*;
import static dev.parley.web.WidgetPage.available;
import static dev.parley.web.WidgetPage.driver;
import static dev.parley.web.WidgetPage.launch;
import static dev.parley.web.WidgetPage.quit;
import static dev.parley.web.WidgetPage.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.testing.KeywordModel;
import dev.parley.web.config.AssistantConfig;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Editing in the console, in headless Chromium against a running server with the seed published: chatting with the
 * draft in the preview panel, drafts kept on the server, the structured forms, and connecting nodes.
 */
class ConsoleEditingBrowserTest {
    private static final String TOKEN = "console-editing-token-0123456789";
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(available(), "Browser tests skipped: install Debian's chromium and chromium-driver");
        server = TestServer.startWorkflows(AssistantConfig.defaults().withAdminToken(TOKEN), new KeywordModel());
        launch();
    }

    @AfterAll
    static void stop() {
        quit();
        if (server != null) server.close();
    }

    @BeforeEach
    void laptop() {
        viewport(1280, 800);
        ConsolePage.dropDrafts(server, TOKEN);
    }

    @AfterEach
    void noErrorsInTheBrowserConsole() {
        assertThat(errors()).isEmpty();
    }

    @Test
    void chattingWithTheDraftInThePreviewPanelRunsItUnpublishedAndDrawsEachReplysPath() throws Exception {
        signedIn(server, TOKEN);
        openWorkflow("wf_seed_agency");
        int published = admin("/admin/workflows/wf_seed_agency/versions/latest").path("version").asInt();
        node("website_inquiry_agent").click();
        find("#panel [data-field='label'] input").sendKeys("Websites");
        waitFor("the draft to validate", () -> find("#status").getText().startsWith("Valid"));

        find("#btn-preview").click();
        waitFor("the preview frame", () -> find("#panel iframe.preview-frame").isDisplayed());
        driver.switchTo().frame(find("#panel iframe.preview-frame"));
        try {
            // Parley's own widget, open in the frame, talking to the draft's preview endpoint.
            waitFor("the widget", () -> WidgetPage.panel().isDisplayed());
            WidgetPage.send("I need a landing page for my bakery");
            waitFor("the reply", () -> WidgetPage.doneReplies() == 1);
            assertThat(WidgetPage.lastReplyText()).isNotBlank();
        } finally {
            driver.switchTo().defaultContent();
        }
        List<String> path = List.of("start", "project_inquiry_classification", "route_inquiry", "website_inquiry_agent",
                "website_inquiry_end");
        waitFor("the run's path", () -> all("[data-node-id].ran").size() == path.size());
        assertThat(all("[data-node-id].ran").stream().map(e -> e.getDomAttribute("data-node-id")).toList())
                .containsExactlyInAnyOrderElementsOf(path);
        assertThat(all("#panel .step").stream().map(e -> e.getDomAttribute("data-step-node")).toList())
                .containsExactlyElementsOf(path);
        WidgetPage.screenshot("console-preview.png");

        // A follow-up in the same chat goes another way, and the canvas follows it.
        driver.switchTo().frame(find("#panel iframe.preview-frame"));
        try {
            WidgetPage.send("Just saying hello");
            waitFor("the second reply", () -> WidgetPage.doneReplies() == 2);
        } finally {
            driver.switchTo().defaultContent();
        }
        waitFor("the second run's path", () -> all("[data-node-id='website_inquiry_agent'].ran").isEmpty()
                && !all("[data-node-id].ran").isEmpty());
        // The draft keeps its edit, nothing was published, and the preview's threads are no visitor's.
        assertThat(node("website_inquiry_agent").getText()).contains("Websites");
        assertThat(admin("/admin/workflows/wf_seed_agency/versions/latest").path("version").asInt()).isEqualTo(published);

        find("#panel-close").click();
        waitFor("the highlight to go", () -> all("[data-node-id].ran").isEmpty());
    }

    @Test
    void anEditIsSavedOnTheServerSurvivesAReloadAndCanBeDiscarded() throws Exception {
        signedIn(server, TOKEN);
        openWorkflow("wf_seed_agency");
        int published = admin("/admin/workflows/wf_seed_agency/versions/latest").path("version").asInt();
        node("website_inquiry_agent").click();
        find("#panel [data-field='label'] input").sendKeys("Websites kept");
        waitFor("the draft to be saved", () -> "saved".equals(find("#wf-title").getDomAttribute("data-draft")));
        JsonNode saved = admin("/admin/workflows/wf_seed_agency/draft");
        assertThat(saved.path("base_version").asInt()).isEqualTo(published);
        assertThat(saved.toString()).contains("Websites kept");
        waitFor("the list to mark the draft", () -> !all("#wf-list [data-workflow-id='wf_seed_agency'][data-draft]").isEmpty());

        // A new page (another tab, the next morning) opens the draft, not the published version.
        driver.navigate().refresh();
        waitFor("the app", () -> find("#app").isDisplayed());
        openWorkflow("wf_seed_agency");
        waitFor("the draft", () -> node("website_inquiry_agent").getText().contains("Websites kept"));
        assertThat(find("#wf-title").getText()).contains("draft (from v" + published + ")").contains("saved");
        assertThat(find("#status").getText()).startsWith("Opened the draft saved");
        assertThat(admin("/admin/workflows/wf_seed_agency/versions/latest").path("version").asInt()).isEqualTo(published);

        find("#btn-discard").click();
        driver.switchTo().alert().accept();
        waitFor("the published version", () -> !node("website_inquiry_agent").getText().contains("Websites kept"));
        assertThat(find("#wf-title").getText()).endsWith("v" + published);
        assertThat(server.send(java.net.http.HttpRequest.newBuilder(server.uri("/admin/workflows/wf_seed_agency/draft"))
                .header("Authorization", "Bearer " + TOKEN).GET()).status()).isEqualTo(404);
    }

    @Test
    void modelSettingsOutputSchemaAndToolsHaveFormsWhoseEditsReachTheSavedDraft() throws Exception {
        signedIn(server, TOKEN);
        openWorkflow("wf_seed_agency");
        node("website_inquiry_agent").click();
        find("#panel [data-field='model_settings.temperature'] input").sendKeys("0.3");
        new org.openqa.selenium.support.ui.Select(find("#panel [data-field='model_settings.reasoning_effort'] select"))
                .selectByValue("low");

        // JSON output: a schema appears, and text that is not JSON is not applied and says so.
        new org.openqa.selenium.support.ui.Select(find("#panel [data-field='output_format'] select")).selectByValue("json_schema");
        WebElement schema = find("#panel [data-field='output_schema'] textarea");
        assertThat(schema.getDomProperty("value")).contains("\"answer\"");
        schema.sendKeys(Keys.END, "{");
        waitFor("the local error", () -> find("#panel [data-field='output_schema'] .local-error").isDisplayed());
        assertThat(find("#panel [data-field='output_schema'] .local-error").getText()).startsWith("Not applied");
        schema.sendKeys(Keys.BACK_SPACE);
        new org.openqa.selenium.support.ui.Select(find("#panel [data-field='output_format'] select")).selectByValue("text");

        // A tool: a webhook to a host this server does not allow is an error pinned on its URL, with the fix.
        find("#panel [data-field='tools'] > button").click();
        WebElement url = find("#panel [data-field='tools[0].url'] input");
        url.sendKeys("api.example.com/hook");
        try {
            waitFor("the error on the tool's URL", () -> !all("#panel [data-field='tools[0].url'] .problem.error").isEmpty());
        } catch (RuntimeException e) {
            throw new AssertionError("Problems shown: " + find("#panel").getText(), e);
        }
        assertThat(find("#panel [data-field='tools[0].url'] .problem.error").getText()).contains("PARLEY_WEBHOOK_HOSTS");
        assertThat(find("[data-node-id='website_inquiry_agent']").getDomAttribute("class")).contains("has-error");

        // Switched to a file search: the form offers the server's knowledge bases; this server (a keyword model,
        // no PARLEY_KNOWLEDGE_DIR) has none and says so, and the tool without any is an error pinned on it.
        new org.openqa.selenium.support.ui.Select(find("#panel [data-field='tools[0].type'] select")).selectByValue("file_search");
        waitFor("the knowledge bases answer", () -> find("#panel [data-field='tools[0].knowledge_bases']").getText()
                .contains("This server has no knowledge base."));
        waitFor("the error on the file search", () -> find("#panel [data-field='tools[0]']").getText()
                .contains("knowledge_bases"));
        waitFor("the draft to be saved", () -> "saved".equals(find("#wf-title").getDomAttribute("data-draft"))
                && savedDraft("wf_seed_agency").contains("file_search"));

        JsonNode agent = null;
        for (JsonNode n : admin("/admin/workflows/wf_seed_agency/draft").path("document").path("nodes")) {
            if (n.path("id").asText().equals("website_inquiry_agent")) agent = n;
        }
        assertThat(agent).isNotNull();
        assertThat(agent.path("model_settings").path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(agent.path("model_settings").path("reasoning_effort").asText()).isEqualTo("low");
        assertThat(agent.has("output_schema")).isFalse();
        assertThat(agent.path("tools").get(0).path("type").asText()).isEqualTo("file_search");
        assertThat(agent.path("tools").get(0).has("url")).isFalse();
        WidgetPage.screenshot("console-tool-form.png");
    }

    @Test
    void nodesAreAddedConnectedAndDeletedByKeyboardAndTheDraftValidates() throws Exception {
        signedIn(server, TOKEN);
        openWorkflow("wf_seed_agency");
        int before = all("[data-node-id]").size();
        new org.openqa.selenium.support.ui.Select(find("#add-type")).selectByValue("agent");
        find("#add-node").sendKeys(Keys.ENTER);
        waitFor("the new node and its inspector", () -> all("[data-node-id]").size() == before + 1
                && find("#panel").isDisplayed());
        assertThat(node("agent_1").getDomAttribute("data-node-type")).isEqualTo("agent");
        waitFor("the stray node's errors", () -> node("agent_1").getDomAttribute("class").contains("has-error"));
        find("#panel [data-field='instructions'] textarea").sendKeys("Follow up on the website inquiry.");
        find("#panel .add-connection").click();
        new org.openqa.selenium.support.ui.Select(find("#panel .connection select")).selectByValue("website_inquiry_end");

        // Re-point the website agent to the new one.
        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        node("website_inquiry_agent").sendKeys(Keys.ENTER);
        waitFor("the agent's inspector", () -> find("#panel").isDisplayed() && !all("#panel .connection select").isEmpty());
        new org.openqa.selenium.support.ui.Select(find("#panel .connection select")).selectByValue("agent_1");
        waitFor("the new edge", () -> !all("#canvas-host .edge[data-from='website_inquiry_agent'][data-to='agent_1']").isEmpty());
        waitFor("a valid draft", () -> find("#status").getText().startsWith("Valid"));
        assertThat(all("[data-node-id].has-error")).isEmpty();
        assertThat(overlaps()).isEmpty();
        WidgetPage.screenshot("console-connect.png");

        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        node("about").sendKeys(Keys.ENTER);
        waitFor("the note's inspector", () -> find("#panel").isDisplayed());
        find("#panel .delete-node").click();
        waitFor("the note to go", () -> all("[data-node-id='about']").isEmpty());
        assertThat(all("[data-node-id]")).hasSize(before);
        assertThat(find("#panel").isDisplayed()).isFalse();
        waitFor("a valid draft again", () -> find("#status").getText().startsWith("Valid"));
    }

    @Test
    void draggingANodesHandleOntoAnotherNodeConnectsThem() throws Exception {
        signedIn(server, TOKEN);
        openWorkflow("wf_seed_agency");
        new org.openqa.selenium.support.ui.Select(find("#add-type")).selectByValue("agent");
        find("#add-node").click();
        waitFor("the new node", () -> !all("[data-node-id='agent_1']").isEmpty());
        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        // Ends and notes have no handle: nothing leaves them.
        assertThat(all("[data-node-id='website_inquiry_end'] .port")).isEmpty();

        new org.openqa.selenium.interactions.Actions(driver)
                .clickAndHold(find("[data-node-id='agent_1'] .port"))
                .moveToElement(node("website_inquiry_end"), 10, 5)
                .moveToElement(node("website_inquiry_end"))
                .release().perform();
        waitFor("the dragged edge", () -> !all("#canvas-host .edge[data-from='agent_1'][data-to='website_inquiry_end']").isEmpty());
        assertThat(all("#canvas-host .edge[data-from='agent_1']")).hasSize(1);
        assertThat(all(".dragging-edge")).isEmpty();
        assertThat(find("#status").getText()).contains("agent_1").contains("website_inquiry_end");
        // Dropped on nothing, a drag adds nothing.
        new org.openqa.selenium.interactions.Actions(driver)
                .clickAndHold(find("[data-node-id='agent_1'] .port")).moveByOffset(0, 200).release().perform();
        assertThat(all("#canvas-host .edge[data-from='agent_1']")).hasSize(1);
        waitFor("the draft to be saved with the edge", () -> savedDraft("wf_seed_agency")
                .contains("{\"from\":\"agent_1\",\"to\":\"website_inquiry_end\"}"));
    }

    /** {@return the saved draft of a workflow as JSON text, or "" while there is none} */
    static String savedDraft(String workflowId) {
        TestServer.Response r = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/admin/workflows/"
                + workflowId + "/draft")).header("Authorization", "Bearer " + TOKEN).GET());
        return r.status() == 200 ? r.body().path("document").toString() : "";
    }

    static JsonNode admin(String path) {
        TestServer.Response r = server.send(java.net.http.HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + TOKEN).GET());
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }
}
