package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.web.session.SessionService;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian chromium, driven through its own chromedriver (nothing is downloaded), and the moves a
 * visitor makes on a page with the chat widget: open it, type, wait for replies, read what the shadow DOM shows.
 */
final class WidgetPage {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "widget-screenshots");
    /** What the fake microphone "hears": a committed 1.2 s recording (two tones, 16 kHz mono WAV). */
    static final Path DICTATION_FIXTURE = Path.of("src", "test", "resources", "widget", "dictation.wav");
    /** Evaluated before every snippet: the widget's shadow root. */
    static final String ROOT = "const host = document.querySelector('parley-chat'); const root = host.shadowRoot;\n";

    static ChromeDriver driver;

    private WidgetPage() {}

    /** {@return whether this machine has the browser and its driver} */
    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static void launch() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,800", "--force-device-scale-factor=1",
                // Dictation tests: a fake microphone that needs no permission prompt.
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--use-file-for-fake-audio-capture=" + DICTATION_FIXTURE.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        driver = new ChromeDriver(service, options);
        desktop();
        Files.createDirectories(SCREENSHOTS);
    }

    static void quit() {
        if (driver != null) driver.quit();
        driver = null;
    }

    // ---- browser helpers ----------------------------------------------------------------------------

    /** A laptop-sized viewport, exactly, whatever room the headless window gives its own chrome. */
    static void desktop() {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", 800, "deviceScaleFactor", 1, "mobile", false));
    }

    /** A first visit: no cookie and no stored state, as a new visitor arrives. */
    static void visit(TestServer server) {
        driver.get(server.uri("/healthz").toString());
        driver.executeScript("localStorage.clear(); sessionStorage.clear();");
        driver.manage().deleteAllCookies();
        driver.get(server.uri("/").toString());
        waitFor("the widget", () -> Boolean.TRUE.equals(driver.executeScript(
                "const el = document.querySelector('parley-chat'); return !!(el && el.shadowRoot);")));
    }

    /** Replaces the demo's widget with one mounted with these option lines (JavaScript object members). */
    static void remount(String options) {
        driver.executeScript("document.querySelector('parley-chat').remove(); Parley.mount({" + options + "});");
    }

    static Object js(String script) {
        return driver.executeScript(ROOT + script);
    }

    static SearchContext shadow() {
        return driver.findElement(By.cssSelector("parley-chat")).getShadowRoot();
    }

    static WebElement panel() {
        return shadow().findElement(By.cssSelector(".panel"));
    }

    static WebElement composer() {
        return shadow().findElement(By.cssSelector("textarea"));
    }

    static void open() {
        WebElement launcher = shadow().findElement(By.cssSelector(".launcher"));
        if (!panel().isDisplayed()) launcher.click();
        waitFor("the panel", () -> panel().isDisplayed());
    }

    static void send(String text) {
        composer().sendKeys(text, Keys.ENTER);
    }

    static long doneReplies() {
        return shadow().findElements(By.cssSelector(".msg.assistant[data-state=done]")).size();
    }

    static WebElement lastReply() {
        return shadow().findElements(By.cssSelector(".msg.assistant")).getLast();
    }

    static String lastReplyText() {
        var replies = shadow().findElements(By.cssSelector(".msg.assistant .md"));
        return replies.isEmpty() ? "" : replies.getLast().getText();
    }

    static List<WebElement> historyRows() {
        return shadow().findElements(By.cssSelector(".history li[data-thread]"));
    }

    static WebElement historyRow(String threadId) {
        return shadow().findElement(By.cssSelector(".history li[data-thread='" + threadId + "']"));
    }

    static WebElement waitForAlert() {
        waitFor("an error message", () -> shadow().findElement(By.cssSelector(".alert")).isDisplayed());
        return shadow().findElement(By.cssSelector(".alert"));
    }

    /** Records the length of the newest reply's text at every DOM change, to count partial renders. */
    static void countRenders() {
        js("""
                window.__renders = [];
                new MutationObserver(() => {
                  const replies = root.querySelectorAll('.msg.assistant .md');
                  if (replies.length) window.__renders.push(replies[replies.length - 1].textContent.length);
                }).observe(root.querySelector('.messages'), {subtree: true, childList: true, characterData: true});""");
    }

    /** {@return the distinct non-empty lengths rendered before the whole reply was shown} */
    static List<Long> partialRenders(String reply) {
        Object lengths = js("return window.__renders");
        List<Long> partial = new ArrayList<>();
        long finalLength = (Long) js("const r = root.querySelectorAll('.msg.assistant .md'); return r[r.length - 1].textContent.length;");
        for (Object o : (List<?>) lengths) {
            long n = (Long) o;
            if (n > 0 && n < finalLength && !partial.contains(n)) partial.add(n);
        }
        assertThat(reply).isNotEmpty();
        return partial;
    }

    static String cookie() {
        return driver.manage().getCookieNamed(SessionService.COOKIE).getValue();
    }

    static String userId() {
        return SessionService.userIdOf(cookie());
    }

    static void screenshot(String name) throws IOException {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    static String consoleLog() {
        var lines = new StringBuilder();
        driver.manage().logs().get("browser").forEach(e -> lines.append(e.getLevel()).append(' ').append(e.getMessage()).append('\n'));
        return lines.toString();
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void waitFor(String what, Condition condition) {
        new WebDriverWait(driver, Duration.ofSeconds(20)).withMessage(() -> "waiting for " + what
                + "; the browser console said:\n" + consoleLog()).until(d -> {
            try {
                return condition.holds();
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            } catch (Exception e) {
                throw new UncheckedIOException(new IOException(e));
            }
        });
    }
}
