package org.xenomarket.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each role's main journey in a real browser (Debian's chromium), against the packaged market with
 * its demo data on PostgreSQL: sign in, do the main thing, see the result, sign out. Every page
 * visited leaves a screenshot and passes axe-core without serious or critical violations.
 */
@QuarkusTest
@QuarkusTestResource(value = MarketProcess.class, restrictToAnnotatedClass = true)
class PortalJourneysTest {

    private static final String PASSWORD = "xenomarket-demo";
    private static Browser browser;

    @TestHTTPResource("/")
    URL portal;

    private BrowserContext context;
    private Page page;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void openPage() {
        context = browser.chromium.newContext();
        context.setDefaultTimeout(20_000);
        page = context.newPage();
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    private String at(String path) {
        return portal.toString().replaceAll("/$", "") + path;
    }

    private void signIn(String email) {
        page.navigate(at("/sign-in"));
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(PASSWORD);
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in")).click();
    }

    private void signOutAndCheckThePagesAreClosed(String path) {
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign out")).click();
        assertThat(page).hasURL(Pattern.compile(".*/sign-in\\?signedOut=true$"));
        page.navigate(at(path));
        // Playwright hands the pattern to the browser's RegExp, which knows no \\Q...\\E: the path is plain.
        assertThat(page).hasURL(Pattern.compile(".*/sign-in\\?then=" + path.replace("/", "%2F") + "$"));
    }

    @Test
    void aSponsorFindsServersNearAPlaceQuotesBidsAndSeesTheLeaseLive() {
        page.navigate(at("/sponsor/servers"));
        assertThat(page).hasURL(Pattern.compile(".*/sign-in\\?then=%2Fsponsor%2Fservers$"));
        Browser.look(page, "01-sign-in");
        signIn("sponsor@acme.example");
        assertThat(page).hasURL(Pattern.compile(".*/sponsor/servers$"));

        page.getByLabel("Within (km)").fill("800");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Find servers")).click();
        Locator rows = page.locator("#results table tbody tr");
        assertThat(rows.first()).isVisible();
        assertTrue(rows.count() >= 2, "servers within 800 km of Cambridge: " + rows.count());
        assertThat(rows.first()).containsText(" km");
        assertThat(rows.first()).containsText("EUR");
        assertEquals(rows.count(), page.locator("svg circle.site").count(), "one site marker per server");
        assertTrue(page.locator("svg path.land").getAttribute("d").length() > 1000, "coastlines drawn");
        Browser.look(page, "02-sponsor-servers-near-cambridge");

        rows.first().getByRole(com.microsoft.playwright.options.AriaRole.BUTTON).click();
        assertThat(page.locator("h2").first()).containsText("per hour");
        assertTrue(page.locator("table tbody tr").count() >= 1, "the quote's breakdown lists the rules that fired");
        Browser.look(page, "03-sponsor-quote");

        // A second tab watches the leases while the first bids: the new lease appears there live.
        Page watching = context.newPage();
        watching.navigate(at("/leases"));
        assertThat(watching.locator("#live")).hasAttribute("data-state", "open");

        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Place bid")).click();
        assertThat(page).hasURL(Pattern.compile(".*/leases\\?bid=.*"));
        Locator fresh = page.locator("#leases tr.fresh");
        assertThat(fresh).hasCount(1);
        assertThat(fresh.locator(".state")).hasText("PENDING");
        Browser.look(page, "04-sponsor-leases");

        String row = fresh.getAttribute("id");
        assertThat(watching.locator("#" + row + " .state")).hasText("PENDING");
        Browser.look(watching, "05-sponsor-leases-live");
        watching.close();

        fresh.locator("a").click();
        assertThat(page.locator("main")).containsText("State");
        Browser.look(page, "06-sponsor-lease");

        page.navigate(at("/billing"));
        assertThat(page.locator("main")).containsText("Billing lands with issue 14");
        Browser.look(page, "07-sponsor-billing-placeholder");

        signOutAndCheckThePagesAreClosed("/leases");
    }

    @Test
    void badInputStaysInTheFormWithAPlainMessageNextToTheField() {
        page.navigate(at("/sign-in"));
        page.getByLabel("Email").fill("sponsor@acme.example");
        page.getByLabel("Password").fill("not the password");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.locator("#password-error")).hasText("The email or the password is wrong.");
        assertThat(page.getByLabel("Email")).hasValue("sponsor@acme.example");
        Browser.look(page, "10-sign-in-wrong-password");

        signIn("sponsor@acme.example");
        page.navigate(at("/sponsor/servers"));
        page.getByLabel("Latitude").fill("95");
        page.getByLabel("vCPUs").fill("two");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Find servers")).click();
        assertThat(page.locator("#lat-error")).containsText("between -90 and 90");
        assertThat(page.locator("#vcpus-error")).containsText("whole number");
        assertThat(page.getByLabel("Latitude")).hasValue("95");
        assertThat(page.getByLabel("vCPUs")).hasValue("two");
        Browser.look(page, "11-sponsor-search-errors");

        // The market's own answer: no server could ever take 512 vCPUs (the portal itself allows up to 1024).
        page.navigate(at("/sponsor/servers?lat=52.2&lon=0.12&withinKm=800&vcpus=2&memoryMib=4096&diskGib=20"));
        page.locator("#results form button").first().click();
        page.getByLabel("vCPUs").fill("512");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Place bid")).click();
        assertThat(page.getByLabel("vCPUs")).hasValue("512");
        assertThat(page.locator("#vcpus-error")).containsText("largest server");
        assertFalse(page.content().contains("Exception"), "no stack trace on the page");
        Browser.look(page, "12-sponsor-bid-refused-by-market");

        // A page that is not there, and one the market does not permit a sponsor: plain pages, no stack trace.
        page.navigate(at("/no-such-page"));
        assertThat(page.locator("h1")).hasText("Not found");
        Browser.look(page, "13-not-found");
        // The portal hides no link to keep a sponsor out of a provider's page: the market refuses.
        page.navigate(at("/provider/servers"));
        assertThat(page.locator("h1")).hasText("Not permitted");
        assertThat(page.locator("main")).containsText("role provider");
        assertFalse(page.content().contains("at org."), "no stack trace on the page");
        Browser.look(page, "14-sponsor-not-permitted-provider-servers");
    }

    @Test
    void aProviderSeesItsServersAndSetsAFloorPrice() {
        signIn("provider@fenland.example");
        assertThat(page).hasURL(Pattern.compile(".*/provider/servers$"));
        Locator rows = page.locator("table tbody tr");
        assertTrue(rows.count() >= 1, "Fenland's servers");
        assertThat(page.locator("main")).containsText("fen-");
        assertThat(page.locator("main")).not().containsText("rhein-");
        Browser.look(page, "20-provider-servers");

        Locator first = rows.first();
        String id = first.getAttribute("id");
        first.locator("input[name=vcpuHour]").fill("-1");
        first.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON).click();
        Locator again = page.locator("#" + id);
        assertThat(again.locator(".error")).containsText("non-negative decimal");
        assertThat(again.locator("input[name=vcpuHour]")).hasValue("-1");
        Browser.look(page, "21-provider-floor-price-error");

        again.locator("input[name=vcpuHour]").fill("0.0123");
        again.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON).click();
        assertThat(page).hasURL(Pattern.compile(".*/provider/servers\\?updated=.*"));
        assertThat(page.locator("#" + id + " input[name=vcpuHour]")).hasValue(Pattern.compile("0\\.0123.*"));

        page.navigate(at("/leases"));
        assertThat(page.locator("#leases caption")).containsText("leases");
        Browser.look(page, "22-provider-leases");
        signOutAndCheckThePagesAreClosed("/provider/servers");
    }

    @Test
    void financeDraftsAPolicySeesItsRulesAndDiffAndItsAuditLog() {
        signIn("finance@xenomarket.example");
        assertThat(page).hasURL(Pattern.compile(".*/policies$"));
        assertThat(page.locator("table")).containsText("ACTIVE");
        Browser.look(page, "30-finance-policies");

        String version = "portal-" + UUID.randomUUID().toString().substring(0, 8);
        page.getByLabel("Version").fill(version);
        page.getByLabel("Note").fill("drafted in the portal's test");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Create draft")).click();
        assertThat(page.locator("h1")).hasText("Policy " + version);
        assertThat(page.locator("main")).containsText("Changes from");
        assertTrue(page.locator("table").first().locator("tbody tr").count() >= 3, "the version's rules");

        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Preview")).click();
        assertThat(page.locator("#serverId-error")).containsText("server");
        Browser.look(page, "31-finance-policy-draft");

        page.getByLabel("Server").selectOption(new com.microsoft.playwright.options.SelectOption().setIndex(1));
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Preview")).click();
        assertThat(page.locator("#preview h2")).containsText("Under " + version);
        assertThat(page.locator("#preview h2")).containsText("per hour");
        assertTrue(page.locator("#preview tbody tr").count() >= 3, "the preview's breakdown");
        Browser.look(page, "33-finance-policy-preview");

        page.getByText("Audit log of this version").click();
        assertThat(page.locator("table tbody tr")).not().hasCount(0);
        assertThat(page.locator("table")).containsText("finance");
        Browser.look(page, "32-finance-audit");
        signOutAndCheckThePagesAreClosed("/audit");
    }

    @Test
    void anOperatorMakesAnApiTokenThatWorksAndRevokesIt() throws Exception {
        signIn("operator@xenomarket.example");
        page.navigate(at("/tokens"));
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Create token")).click();
        assertThat(page.locator("#label-error")).isVisible();
        String label = "ci script " + UUID.randomUUID().toString().substring(0, 6);
        page.getByLabel("What it is for").fill(label);
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Create token")).click();
        String secret = page.locator("code.secret").textContent().strip();
        assertTrue(secret.startsWith("xm_"), secret);
        assertEquals(200, marketStatus(secret));
        Browser.look(page, "40-operator-token-created");

        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Revoke " + label)).click();
        assertThat(page.locator("tr", new Page.LocatorOptions().setHasText(label))).containsText("revoked");
        assertEquals(401, marketStatus(secret));
        Browser.look(page, "41-operator-token-revoked");

        page.navigate(at("/audit?objectType=api-token&objectId="));
        assertThat(page.locator("#objectId-error")).isVisible();
        Browser.look(page, "42-operator-audit-needs-an-id");
        signOutAndCheckThePagesAreClosed("/tokens");
    }

    @Test
    void aSessionThatExpiredGoesToSignInAndBackToThePage() throws Exception {
        signIn("provider@fenland.example");
        page.navigate(at("/leases"));
        assertThat(page.locator("#leases")).isVisible();
        // The market ends the session (as its sweep does at expiry): the portal's next call is refused.
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + MarketProcess.DATABASE,
                "postgres", "");
             PreparedStatement revoke = db.prepareStatement("UPDATE api_token SET revoked_at = now() "
                     + "WHERE label = 'session of provider@fenland.example' AND revoked_at IS NULL")) {
            assertTrue(revoke.executeUpdate() >= 1);
        }
        page.navigate(at("/leases?from=expired"));
        assertThat(page).hasURL(Pattern.compile(".*/sign-in\\?then=%2Fleases%3Ffrom%3Dexpired$"));
        page.getByLabel("Email").fill("provider@fenland.example");
        page.getByLabel("Password").fill(PASSWORD);
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page).hasURL(Pattern.compile(".*/leases\\?from=expired$"));

        Cookie session = context.cookies().stream().filter(c -> c.name.equals("xm_session")).findFirst().orElseThrow();
        assertTrue(session.httpOnly, "HttpOnly");
        assertEquals(com.microsoft.playwright.options.SameSiteAttribute.LAX, session.sameSite);
        assertFalse(session.value.startsWith("xm_"), "the cookie holds a session id, not the market token");
    }

    private static int marketStatus(String token) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(MarketProcess.url + "/api/v1/accounts/me")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
        return answer.statusCode();
    }
}
