package com.su7.system;

import com.su7.contract.Topics;
import com.su7.localstack.KafkaPrincipal;
import com.su7.localstack.LocalStack;
import com.su7.localstack.Ports;
import com.su7.testsupport.SharedLocalStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ops console in a real browser (headless Chromium) on the whole system: ops log in through the authorization
 * server, watch the launch counters move, read a preorder's timeline, redrive a dead letter and run a capacity
 * what-if before applying it, and log out (last: of the authorization server too). A screenshot of each page goes to
 * target/console-screenshots/ (the README's pictures).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsConsoleBrowserIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private static LocalStack stack;
    private static RunningSystem system;
    private static ServiceProcess console;
    private static ChromeDriver browser;
    private static JsonNode planBefore;

    @BeforeAll
    static void startTheSystemAndLogIn() {
        stack = SharedLocalStack.get();
        system = RunningSystem.start(stack, Duration.ofSeconds(1), Map.of());
        planBefore = Api.get(production("/api/production/capacity-plan")).orElseThrow();

        Map<String, String> environment = new HashMap<>(stack.environment());
        int port = Ports.freePort();
        environment.put("CONSOLE_PORT", String.valueOf(port));
        // The server knows port 8080's logged-out page only; on a free port the console asks for none.
        environment.put("CONSOLE_POST_LOGOUT_REDIRECT_URI", "");
        for (String service : RunningSystem.SERVICES) {
            environment.put("CONSOLE_%s_URL".formatted(service.toUpperCase()), system.service(service).baseUri().toString());
        }
        console = new ServiceProcess("ops-console", Release.CURRENT.moduleJar("ops-console"), port, environment,
                Release.CURRENT.log("ops-console"), RunningSystem.TEST_JVM);
        console.start();
        console.awaitReady(Duration.ofMinutes(2));

        browser = HeadlessChromium.start();
        browser.get(console.baseUri().toString());
        // Not logged in: the console sends the browser to the authorization server's login.
        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(browser.getCurrentUrl()).startsWith(stack.environment().get("OAUTH2_ISSUER_URI"));
        browser.findElement(By.id("username")).sendKeys(stack.opsUser().username());
        browser.findElement(By.id("password")).sendKeys(stack.opsUser().password());
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("user"), "Logged in as " + stack.opsUser().username()));
    }

    @AfterAll
    static void stopEverything() {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void theConsoleAndItsApiAnswerNobodyWhoIsNotLoggedIn() throws Exception {
        HttpClient anonymous = HttpClient.newHttpClient();
        HttpResponse<String> page = anonymous.send(HttpRequest.newBuilder(console.baseUri().resolve("/")).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/oauth2/authorization/su7");
        HttpResponse<String> api = anonymous.send(HttpRequest.newBuilder(console.baseUri().resolve("/console/api/launch")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(401);
    }

    @Test
    void theLaunchCountersMoveWhilePreordersArePlaced() {
        browser.get(console.baseUri().resolve("/").toString());
        waitUntil(driver -> !counter("preorders").equals("–"));
        long before = Long.parseLong(counter("preorders").replace(",", ""));

        placeThroughRest("launch", 10);

        waitUntil(driver -> Long.parseLong(counter("preorders").replace(",", "")) >= before + 10);
        waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#days-past svg rect")));
        assertThat(browser.findElement(By.id("problems")).getText()).isEmpty();
        HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve("launch.png"));
    }

    @Test
    void aPreordersTimelineShowsItsEventsAndTheThreeServicesAgreeingOnceItIsScheduled() {
        String preorderId = placeThroughRest("timeline", 1).getFirst();
        browser.get(console.baseUri().resolve("/preorder.html").toString());
        browser.findElement(By.id("query")).sendKeys(preorderId);
        browser.findElement(By.cssSelector("#search button[type=submit]")).click();
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "Placed"));
        assertThat(browser.findElement(By.id("preorder-title")).getText()).contains(preorderId);

        // The page shows what the services answered when asked: ask again until the hand-over is scheduled everywhere.
        new WebDriverWait(browser, PATIENCE, Duration.ofMillis(250))
                .withMessage(() -> "the three services agreeing that it is scheduled; the page shows: "
                        + browser.findElement(By.id("agreement")).getText() + "\n" + browser.findElement(By.id("projections")).getText())
                .until(driver -> {
                    browser.findElement(By.cssSelector("#search button[type=submit]")).click();
                    sleep(Duration.ofSeconds(1));
                    return browser.findElement(By.id("agreement")).getText().equals("All three services agree.")
                            && browser.findElement(By.id("projections")).getText().contains("SCHEDULED");
                });
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("EtaChanged r1", "UnitBuilt");
        assertThat(browser.findElement(By.id("eta-history")).getText()).contains("PLACED", "SCHEDULED");
        HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve("preorder.png"));
    }

    @Test
    void aDeadLetterIsReadDecodedWithItsReasonAndRedrivenWithTheOutcomeInTheAudit() {
        String requestId = UUID.randomUUID().toString();
        sendAppRequest(requestId, PreorderLoad.request("console-dead-letter", 1, "APP").put("requestId", requestId).put("variant", "SU7 Hover"));
        browser.get(console.baseUri().resolve("/dead-letters.html").toString());
        new Select(browser.findElement(By.id("service"))).selectByValue("orders");
        browser.findElement(By.id("preorderId")).sendKeys(requestId);
        // Filter until the letter is listed, and open it; a list that a later answer replaces is looked up again.
        new WebDriverWait(browser, PATIENCE, Duration.ofMillis(250)).ignoring(StaleElementReferenceException.class).until(driver -> {
            browser.findElement(By.cssSelector("#filters button[type=submit]")).click();
            sleep(Duration.ofMillis(500));
            List<WebElement> letters = browser.findElements(By.cssSelector("#letters a[href*='service=orders']"));
            if (letters.isEmpty()) {
                return false;
            }
            letters.getFirst().click();
            return true;
        });
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("payload"), "SU7 Hover"));
        assertThat(browser.findElement(By.id("letter-facts")).getText()).contains("variant");

        browser.findElement(By.id("dry-run")).click();
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("redrive-result"), "Dry run: 1 would be redriven"));
        browser.findElement(By.id("redrive")).click();
        // The request is still invalid: the redrive runs, fails again, and says so.
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("redrive-result"), "Redriven: 1 matched"));
        assertThat(browser.findElement(By.id("redrive-result")).getText()).contains("1 failed again");
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("redrives"), requestId));
        assertThat(browser.findElement(By.id("redrives")).getText()).contains(stack.opsUser().username());
        HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve("dead-letters.png"));
    }

    @Test
    void aCapacityWhatIfShowsWhoWouldMoveEarlierBeforeItIsApplied() {
        try {
            whatIfAndApply();
        } finally {
            // The other tests' preorders must not wait behind the slow plant this one sets up.
            restore(planBefore);
        }
    }

    private void whatIfAndApply() {
        // A slow plant with a queue: from a few factory days on, one unit a day, and preorders waiting for it.
        LocalDate from = firstChangeableDay().plusDays(3);
        changePlan(from, List.of(period(from, null, 1)));
        await(driver -> !firstChangeableDay().isBefore(from));
        placeThroughRest("what-if", 20);
        await(driver -> Api.get(production("/api/production/summary")).orElseThrow().path("queueLength").asLong() >= 10);

        browser.get(console.baseUri().resolve("/capacity.html").toString());
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("plan"), from.toString()));
        LocalDate raiseFrom = firstChangeableDay().plusDays(2);
        setValue(browser.findElement(By.id("plan-from")), raiseFrom.toString());
        browser.findElement(By.id("plan-units")).sendKeys("37");
        browser.findElement(By.id("plan-reason")).sendKeys("a second shift");
        browser.findElement(By.id("plan-preview")).click();
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-result"), "Preview:"));
        assertThat(browser.findElement(By.id("plan-result")).getText()).doesNotContain("Preview: 0 customers");
        assertThat(Api.get(production("/api/production/capacity-plan")).orElseThrow().path("periods").toString())
                .as("nothing applied yet").doesNotContain("\"unitsPerDay\":37");
        HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve("capacity.png"));

        browser.findElement(By.id("plan-apply")).click();
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-result"), "Applied"));
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("plan"), raiseFrom.toString()));
        JsonNode applied = Api.get(production("/api/production/capacity-plan")).orElseThrow();
        assertThat(applied.path("changes").get(0).path("changedBy").asString()).isEqualTo(stack.opsUser().username());

        // A centre: a raise previewed, then applied, back as it was afterwards.
        Select centre = new Select(browser.findElement(By.id("center-city")));
        String city = centre.getOptions().getFirst().getAttribute("value");
        int capacity = Api.get(delivery("/api/delivery/centers/" + city)).orElseThrow().path("dailyCapacity").asInt();
        try {
            browser.findElement(By.id("center-capacity")).sendKeys(String.valueOf(capacity + 10));
            browser.findElement(By.id("center-reason")).sendKeys("weekend opening");
            browser.findElement(By.id("center-preview")).click();
            waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("center-result"), "Preview:"));
            browser.findElement(By.id("center-apply")).click();
            waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("center-result"), "Applied"));
            assertThat(Api.get(delivery("/api/delivery/centers/" + city)).orElseThrow().path("dailyCapacity").asInt()).isEqualTo(capacity + 10);
        } finally {
            HttpResponse<String> restored = Api.put(delivery("/api/delivery/centers/" + city), Api.JSON.createObjectNode()
                    .put("dailyCapacity", capacity).put("changedBy", "console browser test").put("reason", "back as it was"));
            assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
        }
    }

    /** Last but one: delivery-service stays down for the rest of the class (logging out needs no service). */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void withAServiceDownEachPageShowsWhatTheOthersSayAndNamesTheOneThatDidNotAnswer() {
        String preorderId = placeThroughRest("partial", 1).getFirst();
        system.service("delivery").kill();
        String unanswered = "delivery: delivery-service did not answer";

        browser.get(console.baseUri().resolve("/preorder.html?id=" + preorderId).toString());
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("agreement"), unanswered));
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("Placed");
        assertThat(browser.findElement(By.id("projections")).getText()).contains("no answer");

        browser.get(console.baseUri().resolve("/dead-letters.html").toString());
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), unanswered));
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("redrives"), unanswered));
        // Named as ops know it: the page has no use for the service's internal address.
        assertThat(browser.findElement(By.id("message")).getText()).doesNotContain(system.service("delivery").baseUri().getAuthority());

        browser.get(console.baseUri().resolve("/").toString());
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("problems"), "delivery metrics: delivery-service did not answer"));
        waitUntil(driver -> !counter("preorders").equals("–"));
        HeadlessChromium.screenshot(browser, SCREENSHOTS.resolve("launch-service-down.png"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void loggingOutEndsTheSessionAtTheAuthorizationServerToo() {
        browser.get(console.baseUri().resolve("/").toString());
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("user"), "Logged in as"));
        browser.findElement(By.cssSelector("header form button[type=submit]")).click();
        waitUntil(driver -> !driver.getCurrentUrl().startsWith(console.baseUri().toString()));

        browser.get(console.baseUri().resolve("/").toString());
        // Not straight back in: the authorization server asks for the password again.
        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(browser.getCurrentUrl()).startsWith(stack.environment().get("OAUTH2_ISSUER_URI"));
    }

    private static String counter(String id) {
        return browser.findElement(By.cssSelector("#" + id + " dd")).getText().lines().findFirst().orElse("");
    }

    private static List<String> placeThroughRest(String customers, int count) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        URI preorders = system.service("orders").baseUri().resolve("/api/preorders");
        return IntStream.range(0, count).mapToObj(i -> {
            HttpResponse<String> response = Api.post(preorders, "console-%s-%d".formatted(run, i),
                    PreorderLoad.request("console-" + customers + "-" + run, i, "WEB"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            return Api.JSON.readTree(response.body()).path("id").asString();
        }).toList();
    }

    private static void sendAppRequest(String key, ObjectNode request) {
        Map<String, Object> settings = new HashMap<>(stack.kafkaClientSettings(KafkaPrincipal.APP.name()));
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> app = new KafkaProducer<>(settings)) {
            app.send(new ProducerRecord<>(Topics.PREORDER_REQUESTS, key, Api.JSON.writeValueAsString(request)));
        }
    }

    /** The first factory day production lets a plan change: after the last day built, today at the earliest. */
    private static LocalDate firstChangeableDay() {
        JsonNode summary = Api.get(production("/api/production/summary")).orElseThrow();
        LocalDate today = LocalDate.parse(summary.path("today").asString());
        LocalDate afterLastBuilt = summary.path("lastBuiltDate").isNull() || summary.path("lastBuiltDate").isMissingNode()
                ? today : LocalDate.parse(summary.path("lastBuiltDate").asString()).plusDays(1);
        return afterLastBuilt.isAfter(today) ? afterLastBuilt : today;
    }

    private static ObjectNode period(LocalDate from, LocalDate to, int unitsPerDay) {
        ObjectNode period = Api.JSON.createObjectNode().put("from", from.toString()).put("unitsPerDay", unitsPerDay);
        return to == null ? period : period.put("to", to.toString());
    }

    private static void changePlan(LocalDate from, List<ObjectNode> periods) {
        ObjectNode change = Api.JSON.createObjectNode().put("from", from.toString()).put("changedBy", "console browser test")
                .put("reason", "a queue for the what-if");
        ArrayNode array = change.putArray("periods");
        periods.forEach(array::add);
        HttpResponse<String> response = Api.put(production("/api/production/capacity-plan"), change);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /**
     * The plan as it was before this class, from two days after the first that may still change: a factory day here is
     * a second, and one may end between reading the first changeable day and the change arriving (a 400 in CI).
     */
    private static void restore(JsonNode plan) {
        LocalDate from = firstChangeableDay().plusDays(2);
        List<ObjectNode> periods = new ArrayList<>();
        for (JsonNode period : plan.path("periods")) {
            LocalDate to = period.path("to").isNull() || period.path("to").isMissingNode() ? null : LocalDate.parse(period.path("to").asString());
            if (to != null && !to.isAfter(from)) {
                continue;
            }
            LocalDate start = LocalDate.parse(period.path("from").asString());
            periods.add(period(start.isBefore(from) ? from : start, to, period.path("unitsPerDay").asInt()));
        }
        changePlan(from, periods);
    }

    private static void setValue(WebElement input, String value) {
        browser.executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                input, value);
    }

    private static URI production(String path) {
        return system.service("production").baseUri().resolve(path);
    }

    private static URI delivery(String path) {
        return system.service("delivery").baseUri().resolve(path);
    }

    private static <T> T waitUntil(Function<? super WebDriver, T> condition) {
        return new WebDriverWait(browser, PATIENCE, Duration.ofMillis(250)).until(condition);
    }

    private static void await(Function<? super WebDriver, Boolean> condition) {
        waitUntil(condition);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
