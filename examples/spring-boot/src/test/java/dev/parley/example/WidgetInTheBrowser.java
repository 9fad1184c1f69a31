package dev.parley.example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person at the example application: Debian's headless chromium through its own chromedriver (nothing is
 * downloaded), signing in with the application's form and chatting through the widget on its page.
 */
final class WidgetInTheBrowser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private final ChromeDriver driver;

    /** {@return whether this machine has the browser and its driver} */
    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    WidgetInTheBrowser() {
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-sync", "--window-size=1280,800");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
                options);
    }

    /** Signs in with Spring Security's login form, which then shows the application's page. */
    void signIn(String base, String user, String password) {
        driver.get(base + "/login");
        driver.findElement(By.name("username")).sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(password, Keys.ENTER);
        waitFor("the page with the widget", () -> !driver.findElements(By.cssSelector("parley-chat")).isEmpty()
                && shadow().findElements(By.cssSelector(".launcher")).size() == 1);
    }

    /** Opens the panel, sends a message and waits for the finished reply; {@return the reply's text} */
    String ask(String text) {
        shadow().findElement(By.cssSelector(".launcher")).click();
        shadow().findElement(By.cssSelector("textarea")).sendKeys(text, Keys.ENTER);
        waitFor("the reply", () -> !shadow().findElements(By.cssSelector(".msg.assistant[data-state=done]")).isEmpty());
        return shadow().findElement(By.cssSelector(".msg.assistant[data-state=done]")).getText();
    }

    /** {@return what the browser logged as errors (failed requests among them)} */
    List<String> errors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    private SearchContext shadow() {
        WebElement host = driver.findElement(By.cssSelector("parley-chat"));
        return host.getShadowRoot();
    }

    private void waitFor(String what, BooleanSupplier condition) {
        new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage(() -> "waiting for " + what + " at "
                + driver.getCurrentUrl()).until(d -> {
                    try {
                        return condition.getAsBoolean();
                    } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.NoSuchShadowRootException
                             | org.openqa.selenium.StaleElementReferenceException e) {
                        return false;
                    }
                });
    }

    @Override
    public void close() {
        driver.quit();
    }
}
