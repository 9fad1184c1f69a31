package dev.parley.web;

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
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The console's Import panel in headless Chromium: an Agent Builder workflow of our own (the triage fixture) chosen
 * with the file input, its report shown, its graph drawn as a draft, then published; a file that is not a workflow
 * reported without breaking the page; a workflow this server cannot run refused with its errors shown.
 */
class ConsoleImportBrowserTest {
    private static final String TOKEN = "console-import-token-0123456789ab";
    private static final String TRIAGE_ID = "wf_6900aa00bb11cc22dd33ee44ff556677";
    static TestServer server;

    @TempDir Path dir;

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

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(ConsoleImportBrowserTest.class.getResource("/agentbuilder/" + name).toURI()).toAbsolutePath();
    }

    /** What the server makes of a file, asked over HTTP without publishing: the console must show the same. */
    static JsonNode importedOverHttp(Path file) throws IOException {
        TestServer.Response r = server.send(HttpRequest.newBuilder(server.uri("/admin/workflows/import"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(Files.readString(file, StandardCharsets.UTF_8))));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    static void openImport() {
        find("#btn-import").click();
        waitFor("the import panel", () -> find("#panel").isDisplayed() && !all("#import-file").isEmpty());
    }

    static void choose(Path file) {
        // What a person does through the file dialog: WebDriver sets the input's file from an absolute path.
        find("#import-file").sendKeys(file.toString());
    }

    @Test
    void anAgentBuilderFileIsImportedWithItsReportDrawnAsADraftAndPublishedAsV1() throws Exception {
        Path file = fixture("triage.agentbuilder.json");
        JsonNode expected = importedOverHttp(file);
        JsonNode report = expected.path("report");
        JsonNode doc = expected.path("workflow");
        assertThat(report.path("errors")).isEmpty();
        // Something to show, or the report assertions below would prove nothing.
        assertThat(report.path("warnings").size() + report.path("notes").size()).isPositive();
        assertThat(doc.path("nodes").size()).isGreaterThan(2);

        signedIn(server, TOKEN);
        assertThat(all("#wf-list [data-workflow-id='" + TRIAGE_ID + "']")).isEmpty();
        openImport();
        assertThat(driver.switchTo().activeElement()).isEqualTo(find("#import-file"));
        choose(file);
        waitFor("the report", () -> !all("#import-result .import-report").isEmpty());

        WebElement shown = find("#import-result .import-report");
        assertThat(shown.getDomAttribute("data-errors")).isEqualTo("0");
        assertThat(shown.getDomAttribute("data-warnings")).isEqualTo(String.valueOf(report.path("warnings").size()));
        assertThat(shown.getDomAttribute("data-notes")).isEqualTo(String.valueOf(report.path("notes").size()));
        assertThat(all("#import-result .import-entries.warnings > li")).hasSize(report.path("warnings").size());
        assertThat(all("#import-result .import-entries.notes > li")).hasSize(report.path("notes").size());
        for (String kind : new String[] {"warnings", "notes"}) {
            for (JsonNode entry : report.path(kind)) {
                String text = find("#import-result").getText();
                assertThat(text).contains(entry.path("source").asText()).contains(entry.path("message").asText());
                if (entry.has("fix")) assertThat(text).contains("Fix: " + entry.path("fix").asText());
            }
        }

        // The canvas draws the imported document, one element per node, as a draft that is not published.
        waitFor("the imported graph", () -> all("#canvas-host [data-node-id]").size() == doc.path("nodes").size());
        Set<String> ids = new HashSet<>();
        for (JsonNode n : doc.path("nodes")) {
            ids.add(n.path("id").asText());
            assertThat(node(n.path("id").asText()).getDomAttribute("data-node-type")).isEqualTo(n.path("type").asText());
        }
        assertThat(ids).hasSize(doc.path("nodes").size());
        assertThat(find("#wf-title").getText()).contains("imported, not published");
        assertThat(all("#wf-list [data-workflow-id='" + TRIAGE_ID + "']")).isEmpty();
        WidgetPage.screenshot("console-import.png");

        // Publish is focused and works from the keyboard.
        WebElement publish = find("#import-publish");
        assertThat(publish.isEnabled()).isTrue();
        assertThat(driver.switchTo().activeElement()).isEqualTo(publish);
        publish.sendKeys(Keys.ENTER);
        waitFor("the imported workflow in the list",
                () -> !all("#wf-list [data-workflow-id='" + TRIAGE_ID + "']").isEmpty());
        assertThat(find("#wf-list [data-workflow-id='" + TRIAGE_ID + "']").getText()).contains(TRIAGE_ID + " · v1");
        assertThat(find("#wf-list [data-workflow-id='" + TRIAGE_ID + "']").getDomAttribute("aria-current")).isEqualTo("true");
        waitFor("the published status", () -> find("#status").getText().contains("Imported and published " + TRIAGE_ID + " v1"));
        assertThat(find("#wf-title").getText()).endsWith("v1");
        assertThat(all("#canvas-host [data-node-id]")).hasSize(doc.path("nodes").size());
        TestServer.Response stored = server.send(HttpRequest.newBuilder(
                server.uri("/admin/workflows/" + TRIAGE_ID + "/versions/latest")).header("Authorization", "Bearer " + TOKEN).GET());
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.body().path("version").asInt()).isEqualTo(1);
    }

    @Test
    void aFileThatIsNotAWorkflowIsReportedAndTheCanvasIsLeftAlone() throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"nodes\": [ this is not JSON");
        signedIn(server, TOKEN);
        openWorkflow("wf_seed_agency");
        int before = all("#canvas-host [data-node-id]").size();
        openImport();
        choose(broken);
        waitFor("the error", () -> !all("#import-result .problem.error").isEmpty());
        assertThat(find("#import-result .problem.error").isDisplayed()).isTrue();
        assertThat(find("#import-result").getText()).contains("broken.json");
        assertThat(all("#import-publish")).isEmpty();
        assertThat(all("#canvas-host [data-node-id]")).hasSize(before);
        assertThat(node("start").isDisplayed()).isTrue();

        // The page still works: a good file dropped on the panel imports it (a drop made of the same events a
        // dragged file fires), so does pasting one, and Escape closes the panel.
        String good = Files.readString(fixture("approval.agentbuilder.json"), StandardCharsets.UTF_8);
        js("const dt = new DataTransfer(); dt.items.add(new File([arguments[0]], 'dropped.agentbuilder.json'));"
                + "const zone = document.getElementById('import-drop');"
                + "zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));"
                + "zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));", good);
        waitFor("the dropped file's report", () -> find("#import-result").getText().contains("dropped.agentbuilder.json"));
        waitFor("the dropped file's publish button", () -> !all("#import-publish").isEmpty());
        assertThat(all("#import-result .problem.error")).isEmpty();
        assertThat(all("#canvas-host [data-node-id]")).isNotEmpty();
        assertThat(all("#canvas-host [data-node-id='start']")).isEmpty();
        js("const t = document.getElementById('import-text'); t.value = arguments[0];", good);
        find("#import-text").sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        waitFor("the pasted import's publish button", () -> !all("#import-publish").isEmpty());
        assertThat(find("#import-result").getText()).contains("the pasted text");
        find("#import-publish").sendKeys(Keys.ESCAPE);
        waitFor("the panel to close", () -> !find("#panel").isDisplayed());
        assertThat(driver.switchTo().activeElement()).isEqualTo(find("#btn-import"));
    }

    @Test
    void aWorkflowThisServerCannotRunIsRefusedOnPublishWithTheErrorShown() throws Exception {
        signedIn(server, TOKEN);
        openImport();
        choose(fixture("search.agentbuilder.json"));
        waitFor("the publish button", () -> !all("#import-publish").isEmpty());
        find("#import-publish").click();
        waitFor("the refusal", () -> !all("#import-result .import-refused").isEmpty());
        assertThat(find("#import-result .import-refused").getText()).contains("Not published").contains("vs_manuals");
        assertThat(find("#status").getText()).startsWith("Not published");
        assertThat(all("#wf-list [data-workflow-id='wf_6900aa00bb11cc22dd33ee44ff5566bb']")).isEmpty();
        // The refused POST is the one error the browser logs, and the only one allowed here.
        assertThat(errors("/admin/workflows/import?publish=true - Failed to load resource: the server responded with a status of 422"))
                .isEmpty();
    }
}
