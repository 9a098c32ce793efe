package io.github.dropin.keycloak.it;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven through chromedriver, for end-to-end tests of Keycloak's login pages.
 *
 * <p>Uses Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (packages {@code chromium} and
 * {@code chromium-driver}, installed by {@code .ci/run}); override with {@code -Ddropin.it.chromium=} and
 * {@code -Ddropin.it.chromedriver=}. Chromium starts with a fresh profile directory and with everything that would
 * contact Google's hosts switched off (these machines refuse outbound connections). One browser per test class is
 * enough: {@link #reset()} forgets all cookies between tests.
 */
public final class Browser implements AutoCloseable {

    /** How long to wait for a page or an element. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a headless Chromium in English (the pages' language follows the browser unless a test picks one). */
    public static Browser start() {
        return start("en");
    }

    public static Browser start(String language) {
        Path profile;
        try {
            profile = Files.createTempDirectory("dropin-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("dropin.it.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--window-size=1280,1000", "--lang=" + language,
                "--user-data-dir=" + profile.toAbsolutePath());
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        // The page's console messages, for failure descriptions.
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("dropin.it.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(TIMEOUT);
        return new Browser(driver, profile);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Forgets every cookie (Keycloak's SSO and authentication-session cookies included) and opens a blank page. */
    public void reset() {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.get("about:blank");
    }

    public void open(String url) {
        driver.get(url);
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    /** Waits until an element matching {@code by} is on the page and returns it. */
    public WebElement find(By by) {
        return waitFor(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    public boolean present(By by) {
        return !driver.findElements(by).isEmpty();
    }

    /** Clears the field and types {@code text}. */
    public void type(By field, String text) {
        WebElement element = find(field);
        element.clear();
        element.sendKeys(text);
    }

    /** Clicks and waits for the page it leads to (the old page going stale). */
    public void clickAndWait(By by) {
        WebElement element = find(by);
        WebElement html = driver.findElement(By.tagName("html"));
        element.click();
        waitFor(d -> {
            try {
                html.isDisplayed();
                return null;
            } catch (org.openqa.selenium.WebDriverException gone) {
                // Stale, or (Chromium) "node does not belong to the document": the next page is there.
                return Boolean.TRUE;
            }
        });
    }

    public String text(By by) {
        return find(by).getText();
    }

    public String attribute(By by, String name) {
        return find(by).getDomAttribute(name);
    }

    /** The text of the whole page body. */
    public String pageText() {
        return find(By.tagName("body")).getText();
    }

    /** Waits until the address bar starts with {@code prefix}. */
    public String awaitUrlStartingWith(String prefix) {
        return waitFor(d -> {
            String url = d.getCurrentUrl();
            return url != null && url.startsWith(prefix) ? url : null;
        });
    }

    /** Waits for {@code condition}; a timeout says where the browser was and what the page said. */
    public <T> T waitFor(ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, TIMEOUT).withMessage(this::describe).until(condition);
    }

    /** The current URL and the page's visible text, for failure messages. */
    public String describe() {
        try {
            List<WebElement> body = driver.findElements(By.tagName("body"));
            return "at " + driver.getCurrentUrl() + " showing: " + (body.isEmpty() ? "(no body)" : body.get(0).getText())
                    + consoleMessages();
        } catch (RuntimeException e) {
            return "at " + driver.getCurrentUrl();
        }
    }

    /** The page's console messages since the last call, one per line (empty if none). */
    public String consoleMessages() {
        try {
            String lines = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(LogEntry::toString).collect(Collectors.joining("\n  "));
            return lines.isEmpty() ? "" : "\nbrowser console:\n  " + lines;
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Saves a PNG of the visible page. */
    public void screenshot(Path png) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + png, e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException ignored) {
                // a temp directory; the OS cleans up what is left
            }
        }
    }
}
