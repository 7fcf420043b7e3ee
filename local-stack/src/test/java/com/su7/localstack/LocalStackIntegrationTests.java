package com.su7.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stack itself: a kept data directory survives a restart, durably; each role reaches only its database; the
 * authorization server issues each client its tokens, logs ops in at the console's client and stops with the stack.
 */
class LocalStackIntegrationTests {

    @TempDir
    Path dataDirectory;

    @Test
    void aKeptDataDirectoryKeepsTopicsSchemasAndTablesAcrossARestartAndRunsDurable() throws Exception {
        LocalStackSettings settings = LocalStackSettings.onFreePorts().withDataDirectory(dataDirectory);
        String schema = "{\"type\":\"record\",\"name\":\"Kept\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
        try (LocalStack stack = LocalStack.start(settings)) {
            try (Admin admin = admin(stack)) {
                admin.createTopics(List.of(new NewTopic("kept-topic", 3, (short) 1))).all().get();
            }
            try (Connection connection = connect(stack.database("orders"));
                 Statement statement = connection.createStatement()) {
                statement.execute("create table kept (id int primary key)");
                statement.execute("insert into kept values (42)");
                try (ResultSet fsync = statement.executeQuery("show fsync")) {
                    fsync.next();
                    assertThat(fsync.getString(1)).isEqualTo("on");
                }
            }
            HttpResponse<String> registered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(stack.registryConfluentApiUrl() + "/subjects/kept-value/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).isEqualTo(200);
        }

        try (LocalStack restarted = LocalStack.start(settings)) {
            try (Admin admin = admin(restarted)) {
                Set<String> topics = admin.listTopics().names().get();
                assertThat(topics).contains("kept-topic");
            }
            try (Connection connection = connect(restarted.database("orders"));
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select id from kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(42);
            }
            HttpResponse<String> subjects = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(restarted.registryConfluentApiUrl() + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(subjects.body()).contains("kept-value");

            DatabaseAccess orders = restarted.database("orders");
            DatabaseAccess delivery = restarted.database("delivery");
            String deliveryUrlWithOrdersRole = delivery.jdbcUrl();
            assertThatThrownBy(() -> DriverManager.getConnection(deliveryUrlWithOrdersRole, orders.username(), orders.password()).close())
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void issuesEachClientTokensWithItsRoleLogsOpsInAtTheConsoleClientAndStopsItsAuthorizationServerWithTheStack() throws Exception {
        ProcessHandle authorizationServer;
        try (LocalStack stack = LocalStack.start(LocalStackSettings.onFreePorts())) {
            authorizationServer = ProcessHandle.of(stack.authorizationServerPid()).orElseThrow();
            for (String client : List.of(HttpClientCredentials.OPS, HttpClientCredentials.APP)) {
                Map<String, Object> claims = claims(stack.accessTokens(client).token());
                assertThat(claims).containsEntry("sub", client).containsEntry("iss", stack.oauth2IssuerUri())
                        .containsEntry("roles", List.of(stack.httpClient(client).role())).containsEntry("aud", "su7-services");
            }
            AccessTokens guessing = new AccessTokens(URI.create(stack.oauth2TokenUri()), HttpClientCredentials.OPS, "guessed-".repeat(4));
            assertThatThrownBy(guessing::token).hasMessageContaining("401").hasMessageContaining("invalid_client");
            assertThat(stack.environment()).containsEntry("OAUTH2_TOKEN_URI", stack.oauth2TokenUri())
                    .containsEntry("OAUTH2_ISSUER_URI", stack.oauth2IssuerUri())
                    .containsEntry("SU7_CONSOLE_CLIENT_SECRET", stack.consoleClient().secret());

            Map<String, Object> opsAtTheConsole = claims(logInAtTheConsoleClient(stack));
            assertThat(opsAtTheConsole).containsEntry("sub", UserCredentials.OPS).containsEntry("roles", List.of("OPS"))
                    .containsEntry("iss", stack.oauth2IssuerUri()).containsEntry("aud", "su7-services");
            Path consoleUser = stack.writeHttpCredentials(dataDirectory.resolve("credentials")).resolve(LocalStack.CONSOLE_USER_FILE);
            assertThat(Files.readString(consoleUser)).isEqualTo("ops " + stack.opsUser().password() + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(consoleUser))).isEqualTo("rw-------");
        }

        assertThat(authorizationServer.isAlive()).as("the authorization server after the stack stopped").isFalse();
    }

    /**
     * The console's login as its browser and OAuth2 client go through it (the authorization server's own tests take
     * it apart): authorization request with PKCE, login form, code, token; returns the access token.
     */
    private static String logInAtTheConsoleClient(LocalStack stack) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        String verifier = Secrets.random() + Secrets.random();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        // The console of a test runs on a free port: the registered loopback redirect URI matches any.
        String redirectUri = stack.consoleClient().redirectUri().replace(":8080/", ":" + Ports.freePort() + "/");
        HttpResponse<String> toLogin = browse(browser, URI.create(stack.oauth2IssuerUri() + "/oauth2/authorize?response_type=code"
                + "&scope=openid&state=s&code_challenge_method=S256&code_challenge=" + challenge
                + "&client_id=" + stack.consoleClient().clientId() + "&redirect_uri=" + redirectUri));
        HttpResponse<String> loginPage = browse(browser, URI.create(toLogin.headers().firstValue("Location").orElseThrow()));
        Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(csrf.find()).as("a CSRF token in the login page").isTrue();

        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(URI.create(stack.oauth2IssuerUri() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + stack.opsUser().username() + "&password="
                        + stack.opsUser().password() + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> withCode = browse(browser, URI.create(stack.oauth2IssuerUri())
                .resolve(login.headers().firstValue("Location").orElseThrow()));
        String callback = withCode.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(redirectUri + "?code=");

        HttpResponse<String> tokens = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.oauth2TokenUri()))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((stack.consoleClient().clientId() + ":"
                        + stack.consoleClient().secret()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code_verifier=" + verifier
                        + "&redirect_uri=" + redirectUri + "&code=" + callback.replaceAll(".*[?&]code=([^&]+).*", "$1"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        return JsonMapper.builder().build().readTree(tokens.body()).path("access_token").asString();
    }

    private static HttpResponse<String> browse(HttpClient browser, URI uri) throws Exception {
        return browser.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> claims(String jwt) {
        String payload = jwt.split("\\.")[1];
        return JsonMapper.builder().build().readValue(Base64.getUrlDecoder().decode(payload), Map.class);
    }

    private static Admin admin(LocalStack stack) {
        return Admin.create(stack.kafkaClientSettings(KafkaPrincipal.ADMIN));
    }

    private static Connection connect(DatabaseAccess access) throws Exception {
        return DriverManager.getConnection(access.jdbcUrl(), access.username(), access.password());
    }
}
