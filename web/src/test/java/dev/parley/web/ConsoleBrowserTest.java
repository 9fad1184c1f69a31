package dev.parley.web;

import static dev.parley.web.ConsolePage.*;
import static dev.parley.web.WidgetPage.available;
import static dev.parley.web.WidgetPage.driver;
import static dev.parley.web.WidgetPage.launch;
import static dev.parley.web.WidgetPage.quit;
import static dev.parley.web.WidgetPage.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.model.testing.KeywordModel;
import dev.parley.web.auth.ConsoleSessions;
import dev.parley.web.config.AssistantConfig;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.workflow.engine.Workflows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The console in headless Chromium against a running server with the seed workflow published. */
class ConsoleBrowserTest {
    private static final String TOKEN = "console-browser-token-0123456789";
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
    void aWrongTokenIsRefusedAndTheRightOneSignsInWithAnHttpOnlyCookieUntilSignOut() {
        visit(server);
        assertThat(find("#signin").isDisplayed()).isTrue();
        signIn("not-the-admin-token-0123456789");
        waitFor("the refusal", () -> find("#signin-error").isDisplayed());
        assertThat(find("#signin-error").getText()).contains("admin token is wrong");
        assertThat(find("#app").isDisplayed()).isFalse();
        assertThat(driver.manage().getCookieNamed(ConsoleSessions.COOKIE)).isNull();
        // The refused POST is the one error the browser logs, and the only one allowed here.
        assertThat(errors("/console/session - Failed to load resource: the server responded with a status of 401"))
                .isEmpty();

        signIn(TOKEN);
        waitFor("the app", () -> find("#app").isDisplayed());
        waitFor("the seed in the list", () -> !all("#wf-list [data-workflow-id='wf_seed_agency']").isEmpty());
        Cookie cookie = driver.manage().getCookieNamed(ConsoleSessions.COOKIE);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getValue()).doesNotContain(TOKEN);
        assertThat(js("return document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + location.href"))
                .asString().doesNotContain(TOKEN).doesNotContain(ConsoleSessions.COOKIE);

        // A reload keeps the session: the cookie, not the page, holds it.
        driver.navigate().refresh();
        waitFor("the app again", () -> find("#app").isDisplayed());

        find("#btn-signout").click();
        waitFor("the sign-in form", () -> find("#signin").isDisplayed());
        assertThat(driver.manage().getCookieNamed(ConsoleSessions.COOKIE)).isNull();
        driver.navigate().refresh();
        waitFor("the sign-in form after a reload", () -> find("#signin").isDisplayed());
        assertThat(find("#app").isDisplayed()).isFalse();
    }

    @Test
    void theSeedIsDrawnWithOneElementPerNodeItsBranchesNamedAndFitsBothScreens() throws Exception {
        JsonNode seed = TestServer.JSON.readTree(new String(Workflows.class.getResourceAsStream(
                "/workflows/seed-agency.json").readAllBytes(), StandardCharsets.UTF_8));
        signedIn(server, TOKEN);
        openWorkflow("wf_seed_agency");
        for (int[] size : new int[][] {{1280, 800}, {1920, 1080}}) {
            viewport(size[0], size[1]);
            find(".zoom-controls .fit").click();
            WidgetPage.screenshot("console-canvas-" + size[0] + ".png");
            assertThat(all("[data-node-id]")).hasSize(seed.path("nodes").size());
            for (JsonNode n : seed.path("nodes")) {
                WebElement el = node(n.path("id").asText());
                assertThat(el.getDomAttribute("data-node-type")).isEqualTo(n.path("type").asText());
                // Fitted: every node lies wholly inside the canvas, none on top of another.
                assertThat(inside(el, find("#canvas-host"))).as("%s %s inside %s at %s", n.path("id"), box(el), box(find("#canvas-host")), size[0]).isTrue();
            }
            assertThat(overlaps()).as("overlapping nodes at %d×%d", size[0], size[1]).isEmpty();
        }
        viewport(1280, 800);
        find(".zoom-controls .fit").click();
        assertThat(all("#canvas-host .edge")).hasSize(seed.path("edges").size());
        assertThat(all("#canvas-host .edge text.branch").stream().map(WebElement::getText).toList())
                .containsExactlyInAnyOrder("website_build", "web_app_or_platform", "single_purpose_tool",
                        "automation_or_integration", "maintenance_or_consulting", "else");
        assertThat(node("route_inquiry").getText()).contains("Route by inquiry type").contains("5 conditions");

        // Zoom in with the button and the keyboard, then fit again.
        double fitted = Double.parseDouble(find("#canvas-host").getDomAttribute("data-zoom"));
        find(".zoom-controls [aria-label='Zoom in']").click();
        assertThat(Double.parseDouble(find("#canvas-host").getDomAttribute("data-zoom"))).isGreaterThan(fitted);
        find(".viewport").sendKeys("-");
        find(".viewport").sendKeys("-");
        assertThat(Double.parseDouble(find("#canvas-host").getDomAttribute("data-zoom"))).isLessThan(fitted);
        find(".viewport").sendKeys("0");
        assertThat(Double.parseDouble(find("#canvas-host").getDomAttribute("data-zoom"))).isEqualTo(fitted);

        // Dragging the background pans: a node moves by the drag.
        double[] before = rect(node("start"));
        new org.openqa.selenium.interactions.Actions(driver).moveToElement(find(".viewport"), 0, 0)
                .moveByOffset(0, 330).clickAndHold().moveByOffset(80, 40).release().perform();
        double[] after = rect(node("start"));
        assertThat(after[0] - before[0]).isBetween(70.0, 90.0);
        assertThat(after[1] - before[1]).isBetween(30.0, 50.0);
    }

    @Test
    void renamingACategoryPinsTheBrokenConditionToTheIfElseNodeWithTheFix() throws Exception {
        signedIn(server, TOKEN);
        openWorkflow("wf_seed_agency");
        waitFor("the first validation", () -> find("#status").getText().startsWith("Valid"));
        assertThat(all("[data-node-id].has-error")).isEmpty();

        // Keyboard only: Tab reaches the nodes, Enter opens one.
        focusByTab(node("project_inquiry_classification"));
        node("project_inquiry_classification").sendKeys(Keys.ENTER);
        waitFor("the classifier's inspector", () -> find("#panel").isDisplayed());
        WebElement name = find("#panel [data-field='categories[1].name'] input");
        assertThat(name.getDomProperty("value")).isEqualTo("website_build");
        name.sendKeys(Keys.END, "s");

        waitFor("the error pinned on the if/else node", () -> node("route_inquiry").getDomAttribute("class").contains("has-error"));
        assertThat(node("route_inquiry").findElement(By.cssSelector(".badge")).getText()).isEqualTo("1");
        assertThat(all("[data-node-id].has-error")).hasSize(1);
        assertThat(find("#status").getText()).startsWith("1 error");
        WidgetPage.screenshot("console-error-pinned.png");

        // Escape closes the inspector and gives focus back to the node it edited.
        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        waitFor("the panel to close", () -> !find("#panel").isDisplayed());
        assertThat(driver.switchTo().activeElement().getDomAttribute("data-node-id")).isEqualTo("project_inquiry_classification");

        node("route_inquiry").sendKeys(Keys.ENTER);
        waitFor("the if/else inspector", () -> find("#panel").isDisplayed()
                && !all("#panel [data-field='conditions[0].expression'] .problem.error").isEmpty());
        WebElement problem = find("#panel [data-field='conditions[0].expression'] .problem.error");
        assertThat(problem.getText()).contains("website_build").contains("did you mean").contains("website_builds");
        WidgetPage.screenshot("console-inspector-error.png");

        // Fixing the condition clears it: the draft validates again.
        WebElement expression = find("#panel [data-field='conditions[0].expression'] textarea");
        expression.sendKeys(Keys.chord(Keys.CONTROL, "a"),
                "project_inquiry_classification.output_parsed.category == \"website_builds\"");
        waitFor("the error to go", () -> !node("route_inquiry").getDomAttribute("class").contains("has-error"));
        assertThat(all("#panel .problem.error")).isEmpty();
        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    }

    @Test
    void publishingAnEditMakesV2WhoseDiffNamesTheNodeAndFieldAndRollingBackPublishesV1Again() throws Exception {
        signedIn(server, TOKEN);
        openWorkflow("wf_seed_agency");
        node("website_inquiry_agent").click();
        WebElement instructions = find("#panel [data-field='instructions'] textarea");
        instructions.sendKeys(Keys.END, " Mention our portfolio.");
        waitFor("the edit to validate", () -> find("#status").getText().startsWith("Valid"));
        find("#btn-publish").click();
        waitFor("v2", () -> find("#wf-title").getText().endsWith("v2") && find("#status").getText().equals("Published v2"));
        JsonNode v2 = admin("/admin/workflows/wf_seed_agency/versions/latest");
        assertThat(v2.path("version").asInt()).isEqualTo(2);
        assertThat(nodeOf(v2, "website_inquiry_agent").path("instructions").asText()).endsWith(" Mention our portfolio.");
        // The list on the left follows.
        waitFor("the list to say v2", () -> find("#wf-list [data-workflow-id='wf_seed_agency']").getText().contains("v2"));

        find("#btn-versions").click();
        waitFor("the versions", () -> all("#panel li[data-version]").size() == 2);
        assertThat(all("#panel li[data-version]").stream().map(e -> e.getDomAttribute("data-version")).toList())
                .containsExactly("2", "1");
        find("#diff-run").click();
        waitFor("the diff", () -> !all("#panel .changed-node").isEmpty());
        assertThat(all("#panel .changed-node")).hasSize(1);
        WebElement changed = find("#panel .changed-node");
        assertThat(changed.getDomAttribute("data-diff-node")).isEqualTo("website_inquiry_agent");
        assertThat(changed.findElements(By.cssSelector(".changed-field")).stream()
                .map(e -> e.getDomAttribute("data-field")).toList()).containsExactly("instructions");
        assertThat(changed.getText()).contains("Mention our portfolio.");
        WidgetPage.screenshot("console-version-diff.png");

        find("#panel li[data-version='1'] .v-actions button:last-child").click();
        waitFor("v3", () -> find("#status").getText().equals("Published v3"));
        JsonNode v3 = admin("/admin/workflows/wf_seed_agency/versions/latest");
        JsonNode v1 = admin("/admin/workflows/wf_seed_agency/versions/1");
        assertThat(v3.path("version").asInt()).isEqualTo(3);
        assertThat(nodeOf(v3, "website_inquiry_agent")).isEqualTo(nodeOf(v1, "website_inquiry_agent"));
        waitFor("the versions again", () -> all("#panel li[data-version]").size() == 3);
        new org.openqa.selenium.support.ui.Select(find("#diff-from")).selectByValue("1");
        new org.openqa.selenium.support.ui.Select(find("#diff-to")).selectByValue("3");
        find("#diff-run").click();
        waitFor("the diff of v1 and v3", () -> find("#panel .diff").getText().contains("The two versions are the same."));
        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    }

    @Test
    void aRunsTraceIsDrawnOnTheCanvasWithItsPathHighlighted() throws Exception {
        TestServer.User visitor = server.newUser();
        visitor.stream(WorkflowChatTest.create("I need a landing page for my bakery"));

        signedIn(server, TOKEN);
        openWorkflow("wf_seed_agency");
        find("#btn-runs").click();
        waitFor("the runs", () -> !all("#panel li[data-run-id] button").isEmpty());
        find("#panel li[data-run-id] button").click();
        waitFor("the trace", () -> !all("#panel .step").isEmpty() && !all("[data-node-id].ran").isEmpty());
        List<String> path = List.of("start", "project_inquiry_classification", "route_inquiry", "website_inquiry_agent",
                "website_inquiry_end");
        assertThat(all("[data-node-id].ran").stream().map(e -> e.getDomAttribute("data-node-id")).toList())
                .containsExactlyInAnyOrderElementsOf(path);
        assertThat(all("#panel .step").stream().map(e -> e.getDomAttribute("data-step-node")).toList())
                .containsExactlyElementsOf(path);
        assertThat(all("#canvas-host .edge.ran")).hasSize(path.size() - 1);
        assertThat(find("#canvas-host .edge.ran[data-from='route_inquiry']").getDomAttribute("data-to"))
                .isEqualTo("website_inquiry_agent");
        assertThat(find("#panel .step[data-step-node='route_inquiry']").getText()).contains("branch website_build");
        assertThat(find("#panel .trace").getText()).startsWith("Run run_").contains("completed").doesNotContain("null");
        WidgetPage.screenshot("console-trace.png");

        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        waitFor("the highlight to go", () -> all("[data-node-id].ran").isEmpty());
    }

    @Test
    void aThreadWithNegativeFeedbackIsFoundByTheFilterAndOpenedToTheTraceOfItsReply() throws Exception {
        TestServer.User unhappy = server.newUser();
        List<JsonNode> events = unhappy.stream(WorkflowChatTest.create("I need a landing page for my bakery"));
        String thread = ProtocolConformanceTest.threadId(events);
        String reply = events.stream().filter(e -> e.path("type").asText().equals("thread.item.done")
                && e.path("item").path("type").asText().equals("assistant_message"))
                .map(e -> e.path("item").path("id").asText()).reduce((a, b) -> b).orElseThrow();
        assertThat(unhappy.post("{\"type\":\"items.feedback\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"item_ids\":[\"" + reply + "\"],\"kind\":\"negative\"}}").status()).isEqualTo(200);
        // A newer thread without feedback: listed first, then left out by the filter.
        String happy = ProtocolConformanceTest.threadId(server.newUser().stream(WorkflowChatTest.create("Hello there")));

        signedIn(server, TOKEN);
        find("#btn-conversations").click();
        waitFor("the threads", () -> !all("#panel li[data-thread-id]").isEmpty());
        List<String> listed = all("#panel li[data-thread-id]").stream().map(e -> e.getDomAttribute("data-thread-id")).toList();
        assertThat(listed).contains(happy, thread);
        assertThat(listed.indexOf(happy)).isLessThan(listed.indexOf(thread));
        assertThat(find("#panel li[data-thread-id='" + thread + "']").getText()).contains(unhappy.userId()).contains("👎 1");
        assertThat(all("#panel li[data-thread-id='" + happy + "'] .conv-negative")).isEmpty();

        find("#conv-negative").click();
        waitFor("only the thread with negative feedback", () -> all("#panel li[data-thread-id]").stream()
                .map(e -> e.getDomAttribute("data-thread-id")).toList().equals(List.of(thread)));
        find("#panel li[data-thread-id] button").click();
        waitFor("the thread's items", () -> !all("#panel .conv-item").isEmpty());
        assertThat(find("#panel .conv-item[data-role='user']").getText()).contains("I need a landing page for my bakery");
        WebElement answer = find("#panel .conv-item[data-item-id='" + reply + "']");
        assertThat(answer.getDomAttribute("data-role")).isEqualTo("assistant");
        assertThat(answer.findElement(By.cssSelector(".conv-negative")).getText()).contains("negative");
        assertThat(all("#panel .conv-item[data-role='user'] .conv-negative")).isEmpty();
        answer.findElement(By.cssSelector(".show-run")).click();
        waitFor("the run on the canvas", () -> !all("#panel .step").isEmpty() && !all("[data-node-id].ran").isEmpty());
        assertThat(all("[data-node-id].ran").stream().map(e -> e.getDomAttribute("data-node-id")).toList())
                .containsExactlyInAnyOrder("start", "project_inquiry_classification", "route_inquiry",
                        "website_inquiry_agent", "website_inquiry_end");
        assertThat(find("#canvas-host .edge.ran[data-from='route_inquiry']").getDomAttribute("data-to"))
                .isEqualTo("website_inquiry_agent");
        assertThat(find("#panel .trace").getText()).contains("Run run_").contains("thread " + thread);
        find(".zoom-controls .fit").click();
        WidgetPage.screenshot("console-conversation-trace.png");

        find("#panel .conv-back").click();
        waitFor("the conversation again", () -> !all("#panel .conv-item[data-item-id='" + reply + "']").isEmpty());
        assertThat(all("[data-node-id].ran")).isEmpty();
        driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        waitFor("the panel to close", () -> !find("#panel").isDisplayed());
    }

    @Test
    void aSixtyNodeWorkflowIsDrawnWithoutOverlapsInWellUnderASecond() throws Exception {
        int branches = 29;
        var nodes = new StringBuilder("{\"id\": \"start\", \"type\": \"start\"}, {\"id\": \"route\", \"type\": \"if_else\", \"conditions\": [");
        var edges = new StringBuilder("{\"from\": \"start\", \"to\": \"route\"}");
        for (int i = 1; i <= branches; i++) {
            nodes.append(i > 1 ? ", " : "").append("{\"id\": \"b").append(i)
                    .append("\", \"expression\": \"workflow.input_as_text == 'x").append(i).append("'\"}");
        }
        nodes.append("]}");
        for (int i = 1; i <= branches; i++) {
            String agent = "agent_" + i, end = "end_" + i;
            nodes.append(", {\"id\": \"").append(agent).append("\", \"type\": \"agent\", \"instructions\": \"Answer.\"}")
                    .append(", {\"id\": \"").append(end).append("\", \"type\": \"end\", \"schema\": {\"type\": \"object\", ")
                    .append("\"properties\": {\"message\": {\"type\": \"string\"}}, \"required\": [\"message\"]}, ")
                    .append("\"values\": {\"message\": \"").append(agent).append(".output_text\"}}");
            edges.append(", {\"from\": \"route\", \"to\": \"").append(i == branches ? agent + "\", \"branch\": \"else"
                    : agent + "\", \"branch\": \"b" + i).append("\"}");
            edges.append(", {\"from\": \"").append(agent).append("\", \"to\": \"").append(end).append("\"}");
        }
        String doc = "{\"id\": \"wf_sixty\", \"name\": \"Sixty nodes\", \"nodes\": [" + nodes + "], \"edges\": [" + edges + "]}";
        // 28 conditions and else: the 29th branch id has no edge, so it is dropped from the document.
        doc = doc.replace(", {\"id\": \"b29\", \"expression\": \"workflow.input_as_text == 'x29'\"}", "");
        TestServer.Response published = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/admin/workflows"))
                .header("Authorization", "Bearer " + TOKEN).POST(java.net.http.HttpRequest.BodyPublishers.ofString(doc)));
        assertThat(published.status()).as(published.text()).isEqualTo(201);

        signedIn(server, TOKEN);
        viewport(1920, 1080);
        openWorkflow("wf_sixty");
        assertThat(all("[data-node-id]")).hasSize(60);
        long drawMs = Long.parseLong(find("#canvas-host").getDomAttribute("data-draw-ms"));
        System.out.println("Console: a 60-node workflow was laid out and drawn in " + drawMs + " ms");
        assertThat(drawMs).isLessThan(500);
        assertThat(overlaps()).isEmpty();
        // Still responsive: a zoom answers at once.
        find(".zoom-controls [aria-label='Zoom in']").click();
        find(".zoom-controls .fit").click();
        assertThat(all("#canvas-host .edge")).hasSize(1 + 2 * branches);
    }

    @Test
    void aLoopsBackEdgeIsDrawnBackwardsWithoutBreakingTheLayout() throws Exception {
        String doc = """
            {"id": "wf_loop", "name": "Loop", "state": {"count": {"type": "integer", "default": 0}},
             "nodes": [
              {"id": "start", "type": "start"},
              {"id": "repeat", "type": "while", "condition": "state.count < 3", "max_iterations": 5},
              {"id": "bump", "type": "set_state", "assignments": [{"variable": "count", "expression": "state.count + 1"}]},
              {"id": "answer", "type": "agent", "instructions": "Say how many."},
              {"id": "done", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string"}},
               "required": ["message"]}, "values": {"message": "answer.output_text"}}],
             "edges": [{"from": "start", "to": "repeat"}, {"from": "repeat", "to": "bump", "branch": "body"},
              {"from": "bump", "to": "repeat"}, {"from": "repeat", "to": "answer", "branch": "exit"},
              {"from": "answer", "to": "done"}]}
            """;
        TestServer.Response published = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/admin/workflows"))
                .header("Authorization", "Bearer " + TOKEN).POST(java.net.http.HttpRequest.BodyPublishers.ofString(doc)));
        assertThat(published.status()).as(published.text()).isEqualTo(201);

        signedIn(server, TOKEN);
        openWorkflow("wf_loop");
        assertThat(all("[data-node-id]")).hasSize(5);
        assertThat(overlaps()).isEmpty();
        WidgetPage.screenshot("console-loop.png");
        assertThat(all("#canvas-host .edge.back")).hasSize(1);
        assertThat(find("#canvas-host .edge.back").getDomAttribute("data-from")).isEqualTo("bump");
        // Ranks run left to right: the loop's body sits right of the loop, the exit's agent too.
        assertThat(rect(node("bump"))[0]).isGreaterThan(rect(node("repeat"))[0]);
        assertThat(rect(node("done"))[0]).isGreaterThan(rect(node("answer"))[0]);
    }

    static JsonNode admin(String path) {
        TestServer.Response r = server.send(java.net.http.HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + TOKEN).GET());
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    static JsonNode nodeOf(JsonNode version, String id) {
        for (JsonNode n : version.path("document").path("nodes")) if (n.path("id").asText().equals(id)) return n;
        throw new AssertionError("No node " + id);
    }

    /** Tabs from the page's start until the element has focus, so it is proven reachable by keyboard. */
    static void focusByTab(WebElement target) {
        js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
        for (int i = 0; i < 60; i++) {
            driver.switchTo().activeElement().sendKeys(Keys.TAB);
            if (target.equals(driver.switchTo().activeElement())) return;
        }
        throw new AssertionError("Tab never reached " + target.getDomAttribute("data-node-id"));
    }

    /** {@return whether the element's box lies within the container's} */
    static boolean inside(WebElement el, WebElement container) {
        double[] r = rect(el), c = rect(container);
        return r[0] >= c[0] && r[1] >= c[1] && r[0] + r[2] <= c[0] + c[2] && r[1] + r[3] <= c[1] + c[3];
    }

    /** The box as drawn, after the canvas's scale (WebDriver's own rect ignores CSS transforms). */
    @SuppressWarnings("unchecked")
    static double[] rect(WebElement el) {
        var r = (List<Number>) js("const b = arguments[0].getBoundingClientRect(); return [b.x, b.y, b.width, b.height];", el);
        return r.stream().mapToDouble(Number::doubleValue).toArray();
    }

    static String box(WebElement el) {
        return java.util.Arrays.toString(rect(el));
    }

    static List<String> overlaps() {
        var nodes = all("[data-node-id]");
        var out = new java.util.ArrayList<String>();
        for (int i = 0; i < nodes.size(); i++) {
            for (int j = i + 1; j < nodes.size(); j++) {
                double[] a = rect(nodes.get(i)), b = rect(nodes.get(j));
                if (a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]) {
                    out.add(nodes.get(i).getDomAttribute("data-node-id") + " / " + nodes.get(j).getDomAttribute("data-node-id"));
                }
            }
        }
        return out;
    }
}
