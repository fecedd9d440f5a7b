package dev.vitcap.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitcap.caption.ImageCaptioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The page at {@code /} in a real browser: Debian's headless Chromium driven by Selenium through Debian's
 * chromedriver (nothing is downloaded). Screenshots land in {@code app/target/screenshots/}.
 * Without the two packages the tests are skipped, unless {@code VITCAP_BROWSER_TESTS=required} (as CI
 * sets it, after installing them) makes that a failure.
 */
class PageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium"), CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static ImageCaptioner captioner;
    static CaptionServer server;
    static ChromeDriver browser;
    static Path image;

    @BeforeAll
    static void serveAndOpenABrowser() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if ("required".equals(System.getenv("VITCAP_BROWSER_TESTS"))) {
            assertTrue(present, "the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
        }
        assumeTrue(present, "no /usr/bin/chromium and /usr/bin/chromedriver: apt-get install -y chromium chromium-driver to run the browser tests");
        Path samples = Files.createDirectories(dir.resolve("samples"));
        for (int i = 0; i < 3; i++) Files.write(samples.resolve("sample-" + i + ".png"), ServedModel.picture(20 + i, "png"));
        captioner = ServedModel.open(ServedModel.checkpoint(dir), 64);
        server = CaptionServer.start(captioner, CaptionServer.Settings.defaults().withPort(0), Samples.fromFolder(samples, 6, 1 << 20));
        image = Files.write(dir.resolve("upload.png"), ServedModel.picture(11, "png"));

        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        // The flags that keep Chromium off the network it cannot reach here, and out of a sandbox root cannot use.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void close() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
        if (captioner != null) captioner.close();
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    static void openPage(int width, int height) {
        browser.manage().window().setSize(new Dimension(width, height));
        browser.get(server.uri().toString());
        waiting().until(d -> d.findElement(By.id("status")).getText().contains("backend"));
    }

    static List<String> shownWords() {
        List<String> words = new ArrayList<>();
        for (WebElement b : browser.findElements(By.cssSelector("#caption button"))) words.add(b.getText());
        return words;
    }

    static void upload(Path file) {
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
    }

    static void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    static JsonNode api(byte[] body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve("/v1/captions?attention=true"))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** The overlay canvas's RGBA summed at each patch's centre, row-major. */
    static double[] overlayAtPatchCentres(int rows, int cols) {
        @SuppressWarnings("unchecked")
        List<Number> values = (List<Number>) ((JavascriptExecutor) browser).executeScript("""
                const c = document.getElementById('overlay'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                const [rows, cols] = [arguments[0], arguments[1]], out = [];
                for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) {
                  const x = Math.floor((k + 0.5) * c.width / cols), y = Math.floor((r + 0.5) * c.height / rows), p = 4 * (y * c.width + x);
                  out.push(d[p] + d[p + 1] + d[p + 2] + d[p + 3]);
                }
                return out;""", rows, cols);
        return values.stream().mapToDouble(Number::doubleValue).toArray();
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    @Test
    void anUploadShowsTheApisCaptionAndHoveringAWordShowsWhereItLooked() throws Exception {
        openPage(1280, 900);
        upload(image);
        waiting().until(d -> !shownWords().isEmpty());
        JsonNode expected = api(Files.readAllBytes(image));
        List<String> apiWords = new ArrayList<>();
        expected.get("words").forEach(w -> apiWords.add(w.asText()));
        assertEquals(apiWords, shownWords(), "the page shows the API's caption for the same bytes");
        assertEquals(expected.get("caption").asText(), String.join(" ", shownWords()));
        assertTrue(apiWords.size() >= 2, "a caption of at least two words to hover: " + apiWords);

        int rows = expected.get("grid").get("rows").asInt(), cols = expected.get("grid").get("cols").asInt();
        double[] before = overlayAtPatchCentres(rows, cols);
        new Actions(browser).moveToElement(browser.findElements(By.cssSelector("#caption button")).get(1)).perform();
        waiting().until(d -> d.findElement(By.id("legend-word")).getText().contains(apiWords.get(1)));
        double[] after = overlayAtPatchCentres(rows, cols), change = new double[after.length], attention = new double[after.length];
        for (int p = 0; p < after.length; p++) {
            change[p] = Math.abs(after[p] - before[p]);
            attention[p] = expected.get("attention").get(1).get(p).asDouble();
        }
        assertEquals(argmax(attention), argmax(change), "the overlay changes most over the second word's most attended patch");
        double least = Double.MAX_VALUE;
        for (double c : change) least = Math.min(least, c);
        assertTrue(change[argmax(change)] > least + 100, "the heat map has contrast: " + least + " to " + change[argmax(change)]);
        screenshot("page-attention.png");
    }

    @Test
    void aCorruptFileShowsTheApisErrorOnThePage() throws Exception {
        openPage(1280, 900);
        Path corrupt = Files.write(dir.resolve("corrupt.png"), "these bytes are not a PNG at all".getBytes());
        upload(corrupt);
        WebElement error = waiting().until(d -> {
            WebElement e = d.findElement(By.id("error"));
            return e.isDisplayed() ? e : null;
        });
        assertTrue(error.getText().contains("Could not caption this image: the uploaded image: not an image format vitcap reads"), error.getText());
        screenshot("page-error.png");
    }

    @Test
    void aSampleCaptionsAtPhoneWidth() throws Exception {
        openPage(390, 844);
        WebElement sample = waiting().until(d -> d.findElements(By.cssSelector("#samples button")).size() == 3 ? d.findElements(By.cssSelector("#samples button")).get(0) : null);
        sample.click();
        waiting().until(d -> !shownWords().isEmpty());
        assertEquals(api(ServedModel.picture(20, "png")).get("caption").asText(), String.join(" ", shownWords()));
        long overflow = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
        assertTrue(overflow <= 0, "nothing wider than the phone's screen: " + overflow + " px too wide");
        new Actions(browser).click(browser.findElements(By.cssSelector("#caption button")).get(0)).perform();
        screenshot("page-phone.png");
    }
}
