package org.xenomarket.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
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
    /** A label matched whole: a chart's accessible name may contain a field's label ("revenue by ..."). */
    private static final Page.GetByLabelOptions EXACT = new Page.GetByLabelOptions().setExact(true);
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


        signOutAndCheckThePagesAreClosed("/leases");
    }

    /**
     * Acme's best-effort lease fills a server of its own near Reykjavik; Globex then reserves part of
     * that server and the market pre-empts Acme's guest with a notice. Acme, watching its leases in
     * the browser, reads the notice as it happens: announced above the table, and the lease's row
     * shows when it was pre-empted and the notice's end, with no reload.
     */
    @Test
    void aSponsorWatchingItsLeasesSeesAPreemptionNoticeArriveLive() {
        double lat = 64.0 + java.util.concurrent.ThreadLocalRandom.current().nextDouble(0.2);
        double lon = -21.9;
        String site = "rkv-" + UUID.randomUUID().toString().substring(0, 8);
        MarketCalls.send("POST", "/api/v1/sites", "xm_demo_provider_fenland", """
                {"code": "%s", "region": "eu-west", "city": "Reykjavik", "country": "IS", "latitude": %s,
                 "longitude": %s, "timeZone": "Atlantic/Reykjavik"}""".formatted(site, lat, lon), 201);
        String capacity = "{\"vcpus\": 4, \"memoryMib\": 8192, \"diskGib\": 100}";
        String server = MarketCalls.field(MarketCalls.send("POST", "/api/v1/servers", "xm_demo_provider_fenland", """
                {"name": "%s-a", "site": "%s", "hypervisor": "KVM",
                 "capacity": {"vcpus": 4, "memoryMib": 8192, "diskGib": 100, "egressMbps": 1000}}"""
                .formatted(site, site), 201), "id");
        String node = MarketCalls.field(MarketCalls.send("POST", "/api/v1/nodes", "xm_demo_provider_fenland", """
                {"serverId": "%s", "publicKey": "%s", "hypervisor": "KVM", "capacity": %s}"""
                .formatted(server, MarketProcess.freshPublicKey(), capacity), 201), "token");
        MarketCalls.send("POST", "/api/v1/node/heartbeat", node,
                "{\"free\": " + capacity + ", \"guests\": []}", 200);

        // Best-effort bids wait for a clearing round; the operator runs the region's round now.
        String patientBid = MarketCalls.placeBid("xm_demo_sponsor_acme", """
                {"resources": {"vcpus": 4, "memoryMib": 4096, "diskGib": 50},
                 "placement": {"latitude": %s, "longitude": %s, "withinKm": 20}, "serviceClass": "BEST_EFFORT",
                 "durationHours": 3, "maxPricePerHour": {"amount": "20", "currency": "EUR"}}""".formatted(lat, lon));
        MarketCalls.send("POST", "/api/v1/clearing/rounds/eu-west", "xm_demo_operator", null, 200);
        String victim = MarketCalls.leaseOfBid("xm_demo_sponsor_acme", patientBid);

        signIn("sponsor@acme.example");
        page.navigate(at("/leases"));
        assertThat(page.locator("#live")).hasAttribute("data-state", "open");
        Locator row = page.locator("#lease-" + victim);
        assertThat(row.locator(".note")).not().containsText("Pre-empted");
        assertThat(page.locator("#notices")).isEmpty();

        String urgent = MarketCalls.send("POST", "/api/v1/bids", "xm_demo_sponsor_globex", """
                {"resources": {"vcpus": 2, "memoryMib": 2048, "diskGib": 20},
                 "placement": {"latitude": %s, "longitude": %s, "withinKm": 20},
                 "durationHours": 2, "maxPricePerHour": {"amount": "50", "currency": "EUR"}}""".formatted(lat, lon), 201);
        assertTrue(urgent.contains("pre-empted"), "Globex's reserved bid took the room by pre-emption: " + urgent);

        assertThat(page.locator("#notices")).containsText("Lease …" + victim.substring(28) + " is pre-empted: it ends at");
        assertThat(row.locator(".note")).containsText("Pre-empted at");
        Browser.look(page, "07-sponsor-preemption-notice-live");
        // A reload shows the same from the market's own record of the lease.
        page.reload();
        assertThat(row.locator(".note")).containsText("Pre-empted at");
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
    void aProviderAddsASiteAndListsAServerAtItWithErrorsNextToTheFields() {
        signIn("provider@fenland.example");
        page.navigate(at("/provider/sites"));
        // Far from every demo sponsor's searches, so the other journeys find the same servers.
        String code = "ice-" + UUID.randomUUID().toString().substring(0, 6);
        page.getByLabel("Code (a-z, 0-9, -)").fill(code);
        page.getByLabel("City", EXACT).fill("McMurdo");
        page.getByLabel("Country (ISO code, such as GB)").fill("aq");
        page.getByLabel("Latitude", EXACT).fill("-95");
        page.getByLabel("Longitude", EXACT).fill("166.67");
        click("Add site");
        assertThat(page.locator("#latitude-error")).containsText("between -90 and 90");
        assertThat(page.getByLabel("City", EXACT)).hasValue("McMurdo");
        assertThat(page.getByLabel("Longitude", EXACT)).hasValue("166.67");
        assertEquals(0, page.locator("#site-" + code).count(), "no site added from a bad form");
        Browser.look(page, "23-provider-site-error");

        page.getByLabel("Latitude", EXACT).fill("-77.85");
        click("Add site");
        assertThat(page).hasURL(Pattern.compile(".*/provider/servers\\?site=" + code + "#new-server$"));
        assertThat(page.getByLabel("Site", EXACT)).hasValue(code);

        String name = code + "-a";
        page.getByLabel("Name", EXACT).fill(name);
        page.getByLabel("vCPUs", EXACT).fill("0");
        page.getByLabel("Memory (MiB)", EXACT).fill("8192");
        page.getByLabel("Disk (GiB)", EXACT).fill("100");
        click("List server");
        assertThat(page.locator("#vcpus-error")).containsText("between 1 and 4096");
        assertThat(page.getByLabel("Name", EXACT)).hasValue(name);
        assertThat(page.getByLabel("Site", EXACT)).hasValue(code);
        assertThat(page.locator("#servers")).not().containsText(name);
        Browser.look(page, "24-provider-server-error");

        page.getByLabel("vCPUs", EXACT).fill("4");
        page.getByLabel("Floor per vCPU-hour (EUR, optional)", EXACT).fill("0.02");
        click("List server");
        assertThat(page).hasURL(Pattern.compile(".*/provider/servers\\?listed=.*"));
        Locator listed = page.locator("#servers tbody tr", new Page.LocatorOptions().setHasText(name));
        assertThat(listed).hasCount(1);
        assertThat(listed).containsText(code + ": McMurdo, AQ");
        assertThat(listed).containsText("4 vCPU, 8192 MiB, 100 GiB");
        assertThat(listed.locator("input[name=vcpuHour]")).hasValue(Pattern.compile("0\\.02.*"));
        Browser.look(page, "25-provider-server-listed");

        // The market, not the page, decided: the same code again is refused there and shown here.
        page.navigate(at("/provider/sites"));
        assertThat(page.locator("#site-" + code)).containsText("McMurdo");
        page.getByLabel("Code (a-z, 0-9, -)").fill(code);
        page.getByLabel("City", EXACT).fill("Scott Base");
        page.getByLabel("Country (ISO code, such as GB)").fill("AQ");
        page.getByLabel("Latitude", EXACT).fill("-77.85");
        page.getByLabel("Longitude", EXACT).fill("166.76");
        click("Add site");
        assertThat(page.locator("#code-error")).containsText("exists");
        assertThat(page.getByLabel("City", EXACT)).hasValue("Scott Base");
        assertFalse(page.content().contains("at org."), "no stack trace on the page");
        signOutAndCheckThePagesAreClosed("/provider/sites");
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
    void anOperatorMakesAnApiTokenThatWorksRotatesItAndRevokesIt() throws Exception {
        signIn("operator@xenomarket.example");
        page.navigate(at("/tokens"));
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Create token")).click();
        assertThat(page.locator("#label-error")).isVisible();
        String label = "ci script " + UUID.randomUUID().toString().substring(0, 6);
        page.getByLabel("What it is for").fill(label);
        page.getByLabel("Days until it expires").fill("400");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Create token")).click();
        // The market's maximum is a year: its answer lands next to the field, and nothing is made.
        assertThat(page.locator("#expiresInDays-error")).isVisible();
        page.getByLabel("Days until it expires").fill("30");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Create token")).click();
        String secret = page.locator("code.secret").textContent().strip();
        assertTrue(secret.startsWith("xm_"), secret);
        assertEquals(200, marketStatus(secret));
        assertThat(page.locator("tr", new Page.LocatorOptions().setHasText(label))).containsText("program");
        Browser.look(page, "40-operator-token-created");

        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Rotate " + label)).first().click();
        assertThat(page.locator("[role=status]")).containsText("rotated");
        String rotated = page.locator("code.secret").textContent().strip();
        assertTrue(rotated.startsWith("xm_") && !rotated.equals(secret), rotated);
        assertEquals(401, marketStatus(secret), "the old secret is dead at once");
        assertEquals(200, marketStatus(rotated));
        Browser.look(page, "41-operator-token-rotated");

        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Revoke " + label)).click();
        assertThat(page.locator("tr", new Page.LocatorOptions().setHasText(label)).first()).containsText("revoked");
        assertEquals(401, marketStatus(rotated));
        Browser.look(page, "42-operator-token-revoked");

        page.navigate(at("/audit?objectType=api-token&action=token.rotate"));
        assertThat(page.locator("table")).containsText("token.rotate");
        page.navigate(at("/audit?requestId=not+a+request+id"));
        assertThat(page.locator("#requestId-error")).isVisible();
        Browser.look(page, "43-operator-audit-filters");
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
        // Revoked in the database directly, as another market instance would: each instance refuses the
        // token once the revocation's notice reaches it (KnownTokens), milliseconds later.
        Instant deadline = Instant.now().plusSeconds(10);
        do {
            page.navigate(at("/leases?from=expired"));
        } while (!page.url().contains("/sign-in") && Instant.now().isBefore(deadline));
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

    private void click(String button) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(button)).click();
    }

    @Test
    void aSponsorReadsItsInvoiceAndALinesTraceSetsASpendingLimitAndSavesACardThroughStripeCheckout() throws Exception {
        BilledMonth month = BilledMonth.once();
        signIn("sponsor@acme.example");
        page.navigate(at("/billing"));
        Locator invoice = page.locator("#invoice-" + month.acmeInvoice());
        assertThat(invoice).containsText("EUR");
        assertThat(page.locator("#invoice-" + month.globexInvoice())).hasCount(0);
        Browser.look(page, "50-sponsor-billing");

        invoice.locator("a").click();
        assertThat(page.locator("h1")).containsText("Invoice …" + month.acmeInvoice().substring(28));
        Locator lines = page.locator("#lines tbody tr");
        assertTrue(lines.count() >= 2, "the reserved line (one per lease since V69) and the egress line of Acme's lease: " + lines.count());
        assertThat(page.locator("#lines")).containsText(month.acmeLease());
        assertThat(page.locator("#payment-state")).isVisible();
        Browser.look(page, "51-sponsor-invoice");

        lines.first().locator("a").first().click();
        assertThat(page.locator("#lease-terms")).containsText(month.acmeLease());
        assertThat(page.locator("#line")).containsText("policy version");
        // The lease ran 10 days, 240 hours: a rollup and a signed record for each whole hour but the first and last.
        assertThat(page.locator("#rollups-block summary")).hasText("239 hourly rollups");
        assertThat(page.locator("#records-block summary")).hasText("239 signed usage records");
        page.locator("#rollups-block summary").click();
        assertThat(page.locator("#rollups tbody tr")).hasCount(239);
        Browser.look(page, "52-sponsor-invoice-line-trace");

        // Another sponsor's invoice, by its address: the market refuses, and the page shows no figure of it.
        page.navigate(at("/billing/invoices/" + month.globexInvoice()));
        assertThat(page.locator("h1")).hasText("Not found");
        assertThat(page.locator("main")).containsText(month.globexInvoice());
        assertThat(page.locator("#lines")).hasCount(0);
        assertThat(page.locator("#invoice-total")).hasCount(0);
        assertFalse(page.content().contains("at org."), "no stack trace on the page");
        Browser.look(page, "53-sponsor-refused-another-sponsors-invoice");

        page.navigate(at("/billing"));
        page.getByLabel("Limit per month").fill("12.345");
        click("Set limit");
        assertThat(page.locator("#amount-error")).containsText("2 decimal digits");
        assertThat(page.getByLabel("Limit per month")).hasValue("12.345");
        Browser.look(page, "54-sponsor-spending-limit-refused");
        page.getByLabel("Limit per month").fill("5000.00");
        click("Set limit");
        assertThat(page).hasURL(Pattern.compile(".*/billing\\?limit=set$"));
        assertThat(page.locator("#limit-standing")).containsText("5000.00 EUR");
        assertThat(page.getByLabel("Limit per month")).hasValue("5000.00");

        // The card is entered on Stripe's own page (here the stand-in's), then Stripe sends the browser back.
        assertThat(page.locator("#no-card")).isVisible();
        click("Add a card");
        assertThat(page).hasURL(Pattern.compile(".*/pay/" + MarketProcess.CHECKOUT_SESSION + "$"));
        assertThat(page.locator("h1")).containsText("Stripe stand-in");
        Browser.look(page, "55-sponsor-on-stripes-checkout-page");
        String successUrl = formField(lastCheckoutRequest(), "success_url");
        assertTrue(successUrl.endsWith("/billing?card=returned"), successUrl);
        page.navigate(successUrl);
        assertThat(page.locator("#setup-pending")).containsText("once Stripe confirms");
        assertThat(page.locator("#no-card")).isVisible();
        Browser.look(page, "56-sponsor-back-from-stripe-card-pending");

        MarketProcess.deliverSetupSucceeded("pm_portal_journey");
        page.navigate(at("/billing"));
        assertThat(page.locator("#card-saved")).containsText("pm_portal_journey");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Replace the card"))).isVisible();
        Browser.look(page, "57-sponsor-card-saved");

        page.navigate(at("/billing?card=cancelled"));
        assertThat(page.locator("#setup-cancelled")).containsText("nothing was saved");
        assertThat(page.locator("#card-saved")).containsText("pm_portal_journey");
    }

    /** The form body of the last Checkout Session the market asked the Stripe stand-in for. */
    private static String lastCheckoutRequest() {
        List<LoggedRequest> requests = MarketProcess.stripeStandIn.findAll(
                WireMock.postRequestedFor(WireMock.urlEqualTo("/v1/checkout/sessions")));
        assertFalse(requests.isEmpty(), "the market opened no Checkout Session");
        return requests.get(requests.size() - 1).getBodyAsString();
    }

    private static String formField(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in " + form);
    }

    @Test
    void aFormPostWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
        signIn("sponsor@acme.example");
        page.navigate(at("/billing"));
        String before = page.locator("#limit-standing").textContent();
        // The browser's own cookies (session and CSRF) go along; only the form's hidden token is missing.
        APIResponse forged = context.request().post(at("/billing/spending-limit"), RequestOptions.create()
                .setForm(FormData.create().set("amount", "1.00").set("currency", "EUR")).setMaxRedirects(0));
        assertEquals(400, forged.status());
        page.navigate(at("/billing"));
        assertEquals(before, page.locator("#limit-standing").textContent());
    }

    @Test
    void aProviderSeesItsNodesUtilisationAndEarnings() {
        BilledMonth.once();
        signIn("provider@fenland.example");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Utilisation and earnings")).click();
        assertThat(page.locator("#nodes")).containsText("fen-cam-a");
        assertThat(page.locator("#nodes")).not().containsText("rhein-");
        assertThat(page.locator("#utilisation-chart")).hasAttribute("data-drawn", "true");
        assertThat(page.locator("#utilisation-chart canvas")).hasCount(1);
        // Two hours at a quarter of the server's vCPUs (BilledMonth): the chart's numbers say 25 %.
        String plotted = page.locator("#utilisation-chart .chart-data").textContent();
        assertEquals(2, plotted.split("25\\.00", -1).length - 1, plotted);
        // The invoiced month's leases ran on Fenland's servers: it has earned, and the bars show it.
        Locator eur = page.locator("#payouts tbody tr", new Page.LocatorOptions().setHasText("EUR"));
        assertThat(eur).hasCount(1);
        assertThat(page.locator("#earnings-chart")).hasAttribute("data-drawn", "true");
        Browser.look(page, "60-provider-utilisation-and-earnings");
    }

    @Test
    void financeReadsReportsAsTablesAndChartsAndDownloadsTheMarketsCsv() throws Exception {
        BilledMonth month = BilledMonth.once();
        signIn("finance@xenomarket.example");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Reports")).click();
        page.getByLabel("Report", EXACT).selectOption("revenue");
        page.getByLabel("Revenue by", EXACT).selectOption("sponsor");
        page.getByLabel("From (date)", EXACT).fill(month.start().toString());
        page.getByLabel("To (date, not included)", EXACT).fill(month.end().toString());
        click("Show report");
        Locator rows = page.locator("#report-table tbody tr");
        assertThat(rows).hasCount(2);
        assertThat(page.locator("#chart")).hasAttribute("data-drawn", "true");
        Browser.look(page, "70-finance-revenue-by-sponsor");

        Download download = page.waitForDownload(() -> page.locator("#csv").click());
        String csv = Files.readString(download.path(), StandardCharsets.UTF_8);
        assertTrue(csv.startsWith("key,currency,billed_minor,lines"), csv);
        assertEquals(3, csv.strip().split("\r?\n").length, "a header and the two sponsors: " + csv);
        assertEquals("revenue-by-sponsor.csv", download.suggestedFilename());

        page.getByLabel("Revenue by", EXACT).selectOption("region");
        page.getByLabel("From (date)", EXACT).fill("last month");
        click("Show report");
        assertThat(page.locator("#from-error")).containsText("date such as");
        assertThat(page.getByLabel("From (date)", EXACT)).hasValue("last month");
        Browser.look(page, "71-finance-report-bad-date");

        page.navigate(at("/reports?report=utilisation"));
        assertThat(page.locator("#report-table tbody tr").first()).isVisible();
        assertThat(page.locator("#chart")).hasAttribute("data-drawn", "true");
        Browser.look(page, "72-finance-utilisation");

        for (String report : new String[] {"receivables-ageing", "payouts", "reconciliation"}) {
            page.navigate(at("/reports?report=" + report + "&from=" + month.start() + "&to=" + month.end()));
            assertThat(page.locator("#report-table caption")).containsText(report);
            Browser.look(page, "73-finance-" + report);
        }

        page.navigate(at("/billing"));
        assertThat(page.locator("#invoice-" + month.acmeInvoice())).isVisible();
        assertThat(page.locator("#invoice-" + month.globexInvoice())).isVisible();
        Browser.look(page, "74-finance-invoices");
    }

    @Test
    void anOperatorEditsRulesAndSeesEachCompileErrorAtItsLine() {
        signIn("operator@xenomarket.example");
        page.navigate(at("/policies"));
        page.locator("table tbody tr", new Page.LocatorOptions().setHasText("ACTIVE")).first().locator("a").first().click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit into a new draft")).click();
        Locator source = page.locator("textarea[name^='drl:']").first();
        String original = source.inputValue();
        // An unclosed pattern: Drools notices it at the rule's 'then', four lines into the appended rule.
        String prefix = original.endsWith("\n") ? original : original + "\n";
        int ruleLine = (int) prefix.chars().filter(c -> c == '\n').count() + 1;
        String broken = prefix + "rule \"Broken by the portal test\"\nwhen\n    Server( $id : serverId\nthen\nend\n";
        String version = "edit-" + UUID.randomUUID().toString().substring(0, 8);
        page.getByLabel("New version").fill(version);
        source.fill(broken);
        click("Save as draft");
        Locator atLine = page.locator(".listing li.faulty").first();
        assertThat(atLine).isVisible();
        int shownAt = Integer.parseInt(atLine.getAttribute("value"));
        assertEquals(ruleLine + 3, shownAt, "the compiler's line, carried to the listing: " + atLine.textContent());
        assertThat(atLine.locator("code")).hasText("then");
        assertThat(atLine.locator(".error").first()).containsText("Line " + shownAt + ", column");
        assertThat(page.locator("#summary")).containsText("does not compile");
        assertEquals(broken, page.locator("textarea[name^='drl:']").first().inputValue(), "the typed rules are kept");
        assertThat(page.getByLabel("New version")).hasValue(version);
        Browser.look(page, "80-operator-policy-compile-error-at-line");

        page.locator("textarea[name^='drl:']").first().fill(original.replace("\r\n", "\n"));
        click("Save as draft");
        assertThat(page.locator("h1")).hasText("Policy " + version);
        assertThat(page.locator("main")).containsText("No change in rules or tables");
        Browser.look(page, "81-operator-policy-draft-saved");
    }

    private static int marketStatus(String token) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(MarketProcess.url + "/api/v1/accounts/me")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
        return answer.statusCode();
    }
}
