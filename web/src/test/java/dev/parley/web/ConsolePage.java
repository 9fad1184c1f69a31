package dev.parley.web;

import static dev.parley.web.WidgetPage.driver;
import static dev.parley.web.WidgetPage.waitFor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The moves an operator makes in the console, on the browser {@link WidgetPage} launches. */
final class ConsolePage {
    private ConsolePage() {}

    static void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** A fresh visit to /console: no cookie from an earlier test. */
    static void visit(TestServer server) {
        // Cookies can only be deleted on their site. The preview frame's page, opened on its own, makes no request
        // (the console would, and one still under way when its cookie goes would log a 401) and names its icon, so
        // the browser asks for no /favicon.ico that would log a 404.
        driver.get(server.uri("/console/preview").toString());
        driver.manage().deleteAllCookies();
        driver.get(server.uri("/console").toString());
        waitFor("the sign-in form or the app", () -> find("#signin").isDisplayed() || find("#app").isDisplayed());
    }

    static void signIn(String token) {
        WebElement input = find("#token");
        input.clear();
        input.sendKeys(token);
        find("#signin button[type=submit]").click();
    }

    static void signedIn(TestServer server, String token) {
        visit(server);
        signIn(token);
        waitFor("the workflows list", () -> !driver.findElements(By.cssSelector("#wf-list [data-workflow-id]")).isEmpty());
    }

    static void openWorkflow(String id) {
        find("#wf-list [data-workflow-id='" + id + "']").click();
        waitFor("the graph of " + id, () -> !driver.findElements(By.cssSelector("#canvas-host [data-node-id]")).isEmpty());
    }

    static WebElement node(String id) {
        return find("#canvas-host [data-node-id='" + id + "']");
    }

    static WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    static List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    static Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /**
     * {@return the browser console's errors since the last call} (reading the log empties it), less those the
     * caller expected, each given as a fragment of the message
     */
    static List<String> errors(String... expected) {
        var out = new ArrayList<String>();
        driver.manage().logs().get("browser").forEach(e -> {
            if (e.getLevel().intValue() < Level.WARNING.intValue()) return;
            for (String fragment : expected) if (e.getMessage().contains(fragment)) return;
            out.add(e.getLevel() + " " + e.getMessage());
        });
        return out;
    }

    /** Deletes every draft saved on the server, so each test opens workflows as published (drafts outlive a page). */
    static void dropDrafts(TestServer server, String token) {
        var list = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/admin/drafts"))
                .header("Authorization", "Bearer " + token).GET());
        for (var d : list.body().path("data")) {
            var r = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/admin/workflows/"
                    + d.path("workflow_id").asText() + "/draft")).header("Authorization", "Bearer " + token).DELETE());
            if (r.status() != 204) throw new AssertionError("Could not delete a draft: " + r.text());
        }
    }
}
