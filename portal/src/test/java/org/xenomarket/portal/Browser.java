package org.xenomarket.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's chromium driven by Playwright (no browser of Playwright's own), plus what every browser
 * test does to a page: keep a screenshot, and check it with axe-core for serious or critical
 * accessibility violations.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of(System.getProperty("xenomarket.screenshots", "target/screenshots"));
    private static final Path AXE = Path.of(System.getProperty("xenomarket.axe.js", "target/npm/axe-core/package/axe.min.js"));

    private final Playwright playwright;
    final com.microsoft.playwright.Browser chromium;

    private Browser(Playwright playwright, com.microsoft.playwright.Browser chromium) {
        this.playwright = playwright;
        this.chromium = chromium;
    }

    /** Starts chromium; without it the test is skipped, except under CI, where it fails. */
    static Browser start() {
        if (!Files.isExecutable(CHROMIUM)) {
            String why = CHROMIUM + " is missing: run .ci/setup-browser.sh (apt-get install chromium)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        Playwright playwright = Playwright.create();
        return new Browser(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync"))));
    }

    /** Keeps a full-page screenshot under target/screenshots and checks the page with axe-core. */
    static void look(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
        page.addScriptTag(new Page.AddScriptTagOptions().setPath(AXE));
        @SuppressWarnings("unchecked")
        List<String> serious = (List<String>) page.evaluate("async () => {"
                + " const result = await axe.run(document, {resultTypes: ['violations']});"
                + " return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + "   .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '));"
                + "}");
        assertEquals(List.of(), serious, "axe-core on " + name + " (" + page.url() + ")");
    }

    @Override
    public void close() {
        chromium.close();
        playwright.close();
    }
}
