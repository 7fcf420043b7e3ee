package com.su7.authorization;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ops logging in at the ops console, as its browser and its Spring Security OAuth2 client meet this server: the
 * authorization-code flow with PKCE and OpenID Connect, over HTTP, through the login page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "su7.authorization.clients.console.secret=" + LoginIntegrationTests.CONSOLE_SECRET,
        "su7.authorization.clients.console.redirect-uris=" + LoginIntegrationTests.REGISTERED_REDIRECT_URI,
        "su7.authorization.clients.ops.secret=" + LoginIntegrationTests.OPS_CLIENT_SECRET,
        "su7.authorization.clients.ops.roles=OPS",
        "su7.authorization.users.ops.password=" + LoginIntegrationTests.OPS_PASSWORD,
        "su7.authorization.users.ops.roles=OPS",
        "su7.security.failed-authentications.burst=5",
        "su7.security.failed-authentications.per-second=1",
        "spring.security.oauth2.authorizationserver.issuer=http://issuer.test"})
class LoginIntegrationTests {

    static final String CONSOLE_SECRET = "0123456789abcdef0123456789abcdef";
    static final String OPS_CLIENT_SECRET = "fedcba9876543210fedcba9876543210";
    static final String OPS_PASSWORD = "correct horse battery staple";
    static final String REGISTERED_REDIRECT_URI = "http://127.0.0.1:8080/login/oauth2/code/su7";
    /** The console in a test runs on a random port: a loopback redirect URI matches whatever its port (RFC 8252). */
    private static final String REDIRECT_URI = "http://127.0.0.1:54321/login/oauth2/code/su7";
    private static final String SESSION_COOKIE = "SU7_AUTHORIZATION_SESSION";
    private static final Pattern CSRF_TOKEN = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void logsAUserInAndIssuesTheConsoleTokensWithTheUsersRoles() throws Exception {
        Browser browser = new Browser("127.0.0.1");
        String verifier = randomUrlSafe();

        HttpResponse<String> authorize = browser.get(authorizationUri(REDIRECT_URI, challenge(verifier)));
        assertThat(authorize.statusCode()).isEqualTo(302);
        assertThat(authorize.headers().firstValue("Location")).hasValue(url("/login"));
        assertThat(authorize.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith(SESSION_COOKIE + "=").contains("HttpOnly").contains("SameSite=Lax"));

        HttpResponse<String> loginPage = browser.get(URI.create(url("/login")));
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(loginPage.body()).contains("<label for=\"username\"", "id=\"username\"", "<label for=\"password\"",
                "id=\"password\"", "type=\"password\"", "<button type=\"submit\"");

        HttpResponse<String> login = browser.login(loginPage, "ops", OPS_PASSWORD);
        assertThat(login.statusCode()).isEqualTo(302);
        URI back = URI.create(url("/")).resolve(login.headers().firstValue("Location").orElseThrow());
        assertThat(back.getPath()).isEqualTo("/oauth2/authorize");

        HttpResponse<String> code = browser.get(back);
        assertThat(code.statusCode()).isEqualTo(302);
        URI callback = URI.create(code.headers().firstValue("Location").orElseThrow());
        assertThat(callback.toString()).startsWith(REDIRECT_URI + "?code=").contains("state=some-state");

        HttpResponse<String> tokens = token("console", CONSOLE_SECRET, Map.of("grant_type", "authorization_code",
                "code", queryParameter(callback, "code"), "redirect_uri", REDIRECT_URI, "code_verifier", verifier));
        assertThat(tokens.statusCode()).isEqualTo(200);
        assertThat(tokens.headers().allValues("Set-Cookie")).as("a client at the token endpoint gets no session").isEmpty();
        JsonNode answer = JSON.readTree(tokens.body());
        JsonNode accessToken = claims(answer.path("access_token").asString());
        assertThat(accessToken.path("sub").asString()).isEqualTo("ops");
        assertThat(roles(accessToken)).containsExactly("OPS");
        assertThat(accessToken.path("aud").asString()).isEqualTo("su7-services");
        assertThat(accessToken.path("iss").asString()).isEqualTo("http://issuer.test");
        assertThat(answer.path("expires_in").asLong()).isBetween(590L, 600L);
        JsonNode idToken = claims(answer.path("id_token").asString());
        assertThat(idToken.path("sub").asString()).isEqualTo("ops");
        assertThat(idToken.path("aud").asString()).isEqualTo("console");
        assertThat(idToken.path("nonce").asString()).isEqualTo("some-nonce");
        assertThat(roles(idToken)).containsExactly("OPS");
        assertThat(answer.path("refresh_token").asString()).isNotBlank();
        // A login lasts a working shift: the refresh token renews access tokens for 8 hours from the login, not one.
        JsonNode refreshToken = JSON.readTree(endpoint("/oauth2/introspect", "console", CONSOLE_SECRET,
                Map.of("token", answer.path("refresh_token").asString(), "token_type_hint", "refresh_token")).body());
        assertThat(refreshToken.path("active").asBoolean()).isTrue();
        assertThat(refreshToken.path("exp").asLong() - Instant.now().getEpochSecond())
                .isBetween(Duration.ofHours(8).minusMinutes(1).toSeconds(), Duration.ofHours(8).toSeconds());

        HttpResponse<String> refreshed = token("console", CONSOLE_SECRET,
                Map.of("grant_type", "refresh_token", "refresh_token", answer.path("refresh_token").asString()));
        assertThat(refreshed.statusCode()).isEqualTo(200);
        JsonNode refreshedAccessToken = claims(JSON.readTree(refreshed.body()).path("access_token").asString());
        assertThat(refreshedAccessToken.path("sub").asString()).isEqualTo("ops");
        assertThat(roles(refreshedAccessToken)).containsExactly("OPS");
        assertThat(refreshedAccessToken.path("aud").asString()).isEqualTo("su7-services");

        // The console logs out here too (RP-initiated logout) with its latest id token: a refresh brings a new one.
        String latestIdToken = JSON.readTree(refreshed.body()).path("id_token").asString();
        assertThat(roles(claims(latestIdToken))).containsExactly("OPS");
        HttpResponse<String> logout = browser.get(URI.create(url("/connect/logout?id_token_hint=" + latestIdToken)));
        assertThat(logout.statusCode()).as(logout.body()).isEqualTo(302);
        assertThat(browser.get(authorizationUri(REDIRECT_URI, challenge(verifier))).headers().firstValue("Location"))
                .as("logged out, the login page again").hasValue(url("/login"));
    }

    @Test
    void answersAWrongPasswordWith401AndTheLoginPageAgain() throws Exception {
        Browser browser = new Browser("127.0.0.5");
        browser.get(authorizationUri(REDIRECT_URI, challenge(randomUrlSafe())));
        HttpResponse<String> loginPage = browser.get(URI.create(url("/login")));

        HttpResponse<String> refused = browser.login(loginPage, "ops", OPS_PASSWORD + "!");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("Invalid credentials", "id=\"username\"", "id=\"password\"");

        HttpResponse<String> unknownUser = browser.login(refused, "nobody", OPS_PASSWORD);
        assertThat(unknownUser.statusCode()).isEqualTo(401);
        assertThat(unknownUser.body()).isEqualTo(refused.body().replace(csrfToken(refused), csrfToken(unknownUser)));

        HttpResponse<String> stillLoggedOut = browser.get(authorizationUri(REDIRECT_URI, challenge(randomUrlSafe())));
        assertThat(stillLoggedOut.headers().firstValue("Location")).hasValue(url("/login"));
    }

    @Test
    void refusesAnAddressThatKeepsGuessingPasswordsWith429() throws Exception {
        Browser guesser = new Browser("127.0.0.6");
        HttpResponse<String> page = guesser.get(URI.create(url("/login")));
        HttpResponse<String> last = page;
        for (int i = 0; i < 20 && last.statusCode() != 429; i++) {
            last = guesser.login(page, "ops", "guess-number-" + i);
        }

        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(guesser.login(page, "ops", OPS_PASSWORD).statusCode()).as("even the right password, from that address").isEqualTo(429);
    }

    @Test
    void requiresPkceAndARegisteredRedirectUri() throws Exception {
        Browser browser = new Browser("127.0.0.1");
        HttpResponse<String> withoutChallenge = browser.get(URI.create(url("/oauth2/authorize?response_type=code&client_id=console"
                + "&scope=openid&state=s&redirect_uri=" + encode(REDIRECT_URI))));
        assertThat(withoutChallenge.statusCode()).isEqualTo(302);
        assertThat(withoutChallenge.headers().firstValue("Location").orElseThrow())
                .startsWith(REDIRECT_URI + "?error=invalid_request").contains("code_challenge");

        HttpResponse<String> elsewhere = browser.get(authorizationUri("http://127.0.0.1:8080/elsewhere", challenge(randomUrlSafe())));
        assertThat(elsewhere.statusCode()).as("no redirect to an unregistered address").isEqualTo(400);
    }

    @Test
    void keepsMachineClientsAsTheyWereWithoutSessions() throws Exception {
        HttpResponse<String> tokens = token("ops", OPS_CLIENT_SECRET, Map.of("grant_type", "client_credentials"));
        assertThat(tokens.statusCode()).isEqualTo(200);
        assertThat(tokens.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(roles(claims(JSON.readTree(tokens.body()).path("access_token").asString()))).containsExactly("OPS");

        HttpResponse<String> consoleAsAMachineClient = token("console", CONSOLE_SECRET, Map.of("grant_type", "client_credentials"));
        assertThat(consoleAsAMachineClient.body()).contains("unauthorized_client");

        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/oauth2/token")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void publishesItsOpenIdConnectMetadataForTheConsolesDiscovery() throws Exception {
        HttpResponse<String> metadata = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url("/.well-known/openid-configuration"))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(metadata.statusCode()).isEqualTo(200);
        JsonNode configuration = JSON.readTree(metadata.body());
        assertThat(configuration.path("issuer").asString()).isEqualTo("http://issuer.test");
        assertThat(configuration.path("authorization_endpoint").asString()).isEqualTo("http://issuer.test/oauth2/authorize");
        assertThat(configuration.path("jwks_uri").asString()).isEqualTo("http://issuer.test/oauth2/jwks");
        assertThat(configuration.path("code_challenge_methods_supported").toString()).contains("S256");
    }

    @Test
    void refusesToStartWithAUserWithoutPasswordOrRolesOrWithAShortPassword() {
        String client = "--su7.authorization.clients.console.secret=" + CONSOLE_SECRET;
        String redirectUris = "--su7.authorization.clients.console.redirect-uris=" + REGISTERED_REDIRECT_URI;
        assertThatThrownBy(() -> start(client, redirectUris, "--su7.authorization.users.ops.roles=OPS"))
                .hasStackTraceContaining("su7.authorization.users.ops.password is missing (SU7_AUTHORIZATION_USERS_OPS_PASSWORD)");
        assertThatThrownBy(() -> start(client, redirectUris, "--su7.authorization.users.ops.password=short-password", "--su7.authorization.users.ops.roles=OPS"))
                .hasStackTraceContaining("su7.authorization.users.ops.password has fewer than 15 characters");
        assertThatThrownBy(() -> start(client, redirectUris, "--su7.authorization.users.ops.password=" + OPS_PASSWORD))
                .hasStackTraceContaining("su7.authorization.users.ops.roles is empty (SU7_AUTHORIZATION_USERS_OPS_ROLES)");
        assertThatThrownBy(() -> start(client, redirectUris))
                .hasStackTraceContaining("su7.authorization.clients.console has redirect-uris but there is no user to log in");
        assertThatThrownBy(() -> start(client, redirectUris, "--su7.authorization.clients.console.roles=OPS",
                "--su7.authorization.users.ops.password=" + OPS_PASSWORD, "--su7.authorization.users.ops.roles=OPS"))
                .hasStackTraceContaining("su7.authorization.clients.console has redirect-uris and roles");
    }

    private static void start(String... args) {
        List<String> arguments = new ArrayList<>(List.of(args));
        arguments.add("--server.port=0");
        SpringApplication.run(AuthorizationServerApplication.class, arguments.toArray(String[]::new)).close();
    }

    private URI authorizationUri(String redirectUri, String challenge) {
        return URI.create(url("/oauth2/authorize?response_type=code&client_id=console&scope=openid&state=some-state"
                + "&nonce=some-nonce&code_challenge=" + challenge + "&code_challenge_method=S256&redirect_uri=" + encode(redirectUri)));
    }

    private HttpResponse<String> token(String clientId, String secret, Map<String, String> form) throws Exception {
        return endpoint("/oauth2/token", clientId, secret, form);
    }

    /** A form posted to one of the server's endpoints by the client, authenticated with its secret. */
    private HttpResponse<String> endpoint(String path, String clientId, String secret, Map<String, String> form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(path)))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form(form))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A browser: its own cookies, from its own loopback address (so that its failed logins count against it alone). */
    private final class Browser {

        private final HttpClient http;

        Browser(String address) throws Exception {
            http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                    .localAddress(InetAddress.getByName(address)).build();
        }

        HttpResponse<String> get(URI uri) throws Exception {
            return http.send(HttpRequest.newBuilder(uri).header("Accept", "text/html,application/xhtml+xml").build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** Fills in and sends the login form of {@code page}, its CSRF token included. */
        HttpResponse<String> login(HttpResponse<String> page, String username, String password) throws Exception {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("username", username);
            form.put("password", password);
            form.put("_csrf", csrfToken(page));
            return http.send(HttpRequest.newBuilder(URI.create(url("/login")))
                    .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(form))).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String csrfToken(HttpResponse<String> page) {
        Matcher token = CSRF_TOKEN.matcher(page.body());
        assertThat(token.find()).as("a CSRF token in the login page").isTrue();
        return token.group(1);
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(field -> field.getKey() + "=" + encode(field.getValue())).collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String queryParameter(URI uri, String name) {
        return Arrays.stream(uri.getRawQuery().split("&")).map(pair -> pair.split("=", 2))
                .filter(pair -> pair[0].equals(name)).map(pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8))
                .findFirst().orElseThrow();
    }

    private static String randomUrlSafe() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static JsonNode claims(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static List<String> roles(JsonNode claims) {
        return claims.path("roles").valueStream().map(JsonNode::asString).toList();
    }
}
