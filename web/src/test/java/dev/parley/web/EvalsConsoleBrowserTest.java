package dev.parley.web;

import static dev.parley.web.ConsolePage.*;
import static dev.parley.web.WidgetPage.available;
import static dev.parley.web.WidgetPage.launch;
import static dev.parley.web.WidgetPage.quit;
import static dev.parley.web.WidgetPage.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.web.config.AssistantConfig;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The console's Evals page in headless Chromium against a server running the seed on the embedded provider: an eval
 * run from the page, its results table, and a failing case opened to its trace drawn on the canvas.
 */
class EvalsConsoleBrowserTest {
    private static final String TOKEN = "evals-console-token-0123456789";
    static TestServer server;

    @BeforeAll
    static void start() throws java.io.IOException {
        Assumptions.assumeTrue(available(), "Browser tests skipped: install Debian's chromium and chromium-driver");
        server = TestServer.startWorkflows(AssistantConfig.defaults().withAdminToken(TOKEN), EmbeddedProvider.open(null, null));
        // A short "default" dataset in place of the bundled one, so the page's run is quick: three cases pass, one
        // expects the wrong category.
        var upload = server.send(HttpRequest.newBuilder(server.uri("/admin/evals/datasets"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"workflow_id\": \"wf_seed_agency\", \"name\": \"default\", \"cases\": ["
                        + "{\"id\": \"bakery\", \"input\": \"We need a new website for our bakery\", \"expect\": {\"category\": \"website_build\"}},"
                        + "{\"id\": \"portal\", \"input\": \"A customer portal where clients log in\", \"expect\": {\"branch\": \"web_app_or_platform\"}},"
                        + "{\"id\": \"weather\", \"input\": \"What will the weather be tomorrow?\", \"expect\": {\"must_decline\": true}},"
                        + "{\"id\": \"mislabelled\", \"input\": \"Please redesign our company website\", \"expect\": {\"category\": \"single_purpose_tool\"}}]}")));
        assertThat(upload.status()).as(upload.text()).isEqualTo(201);
        launch();
    }

    @AfterAll
    static void stop() {
        quit();
        if (server != null) server.close();
    }

    @AfterEach
    void noErrorsInTheBrowserConsole() {
        assertThat(errors()).isEmpty();
    }

    @Test
    void anEvalRunFromThePageShowsItsResultsAndAFailingCaseOnTheCanvas() throws java.io.IOException {
        viewport(1400, 900);
        signedIn(server, TOKEN);
        openWorkflow("wf_seed_agency");
        find("#btn-evals").click();
        waitFor("the evals panel", () -> find("#panel").isDisplayed() && !all("#panel .eval-run").isEmpty());
        assertThat(find("#panel-title").getText()).isEqualTo("Evals of wf_seed_agency");
        assertThat(find("#panel-body").getText()).contains("No eval runs yet");

        find("#panel .eval-run").click();
        waitFor("the results", () -> !all("#panel .eval-results tbody tr").isEmpty());
        assertThat(find("#panel .eval-summary").getText()).startsWith("3 of 4 cases passed (75%)").contains("wf_seed_agency v1");
        List<WebElement> rows = all("#panel .eval-results tbody tr");
        assertThat(rows).hasSize(4);
        // Failing cases come first, with what went wrong.
        WebElement failing = rows.getFirst();
        assertThat(failing.getDomAttribute("data-case-id")).isEqualTo("mislabelled");
        assertThat(failing.getText()).contains("✗ fail").contains("expected single_purpose_tool, got website_build");
        assertThat(rows.subList(1, 4)).allSatisfy(r -> assertThat(r.getDomAttribute("data-passed")).isEqualTo("true"));
        assertThat(find("#panel .eval-graders").getText()).contains("category").contains("1 / 2").contains("must_decline");

        failing.findElement(org.openqa.selenium.By.cssSelector(".show-trace")).click();
        waitFor("the trace on the canvas", () -> !all("#panel .step").isEmpty() && !all("[data-node-id].ran").isEmpty());
        assertThat(all("[data-node-id].ran").stream().map(e -> e.getDomAttribute("data-node-id")).toList())
                .contains("project_inquiry_classification", "route_inquiry", "website_inquiry_agent", "website_inquiry_end")
                .doesNotContain("tool_inquiry_agent");
        assertThat(find("#canvas-host .edge.ran[data-from='route_inquiry']").getDomAttribute("data-to"))
                .isEqualTo("website_inquiry_agent");
        assertThat(find("#panel .eval-case-head").getText()).isEqualTo("Case mislabelled: Please redesign our company website");
        assertThat(find("#panel .eval-view .trace").getText()).doesNotStartWith("null").contains("Reply: ");
        WidgetPage.screenshot("console-evals.png");

        find("#panel .eval-back").click();
        waitFor("the list of runs", () -> !all("#panel .eval-runs li").isEmpty());
        assertThat(find("#panel .eval-runs li").getText()).startsWith("75%").contains("v1").contains("default").contains("4 cases");
        waitFor("the highlight to go", () -> all("[data-node-id].ran").isEmpty());
    }
}
