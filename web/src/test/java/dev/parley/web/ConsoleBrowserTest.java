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
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;

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
}
