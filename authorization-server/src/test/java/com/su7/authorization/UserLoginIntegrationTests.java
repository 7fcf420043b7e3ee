package com.su7.authorization;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ops log in to a browser client (the ops console) as a browser does it: the authorization request sends them to the
 * login form, the form to the code, the client trades the code for tokens that carry the user's roles.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "su7.authorization.clients.ops.secret=fedcba9876543210fedcba9876543210",
        "su7.authorization.clients.ops.roles=OPS",
        "su7.authorization.clients.console.secret=" + UserLoginIntegrationTests.CONSOLE_SECRET,
        "su7.authorization.clients.console.redirect-uris=http://127.0.0.1:8080/login/oauth2/code/su7",
        "su7.authorization.users.ops.password=" + UserLoginIntegrationTests.OPS_PASSWORD,
        "su7.authorization.users.ops.roles=OPS",
        "spring.security.oauth2.authorizationserver.issuer=http://issuer.test"})
class UserLoginIntegrationTests {

    static final String CONSOLE_SECRET = "0123456789abcdef0123456789abcdef";
    static final String OPS_PASSWORD = "correct horse battery";
    /** The console on another port than the one registered: a loopback redirect matches on any port. */
    private static final String REDIRECT = "http://127.0.0.1:4711/login/oauth2/code/su7";
    private static final String VERIFIER = "a-code-verifier-of-enough-length-0123456789abcdefghij";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    @Test
    void aUserLogsInAndTheClientGetsTokensCarryingTheUsersRolesForTheServices() throws Exception {
        HttpResponse<String> authorize = get(authorizationRequest());
        assertThat(authorize.statusCode()).isEqualTo(302);
        assertThat(location(authorize)).endsWith("/login");

        HttpResponse<String> form = get(location(authorize));
        assertThat(form.body()).contains("id=\"username\"", "id=\"password\"", "type=\"submit\"").doesNotContain("https://");
        HttpResponse<String> loggedIn = postForm("/login", Map.of("username", "ops", "password", OPS_PASSWORD, "_csrf", csrf(form.body())), null);
        assertThat(loggedIn.statusCode()).isEqualTo(302);

        HttpResponse<String> code = get(location(loggedIn));
        assertThat(code.statusCode()).isEqualTo(302);
        URI back = URI.create(location(code));
        assertThat(back.toString()).startsWith(REDIRECT).contains("state=s1");
        String authorizationCode = query(back).get("code");

        HttpResponse<String> tokens = postForm("/oauth2/token", Map.of("grant_type", "authorization_code", "code", authorizationCode,
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER), "console:" + CONSOLE_SECRET);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(tokens.body());
        JsonNode access = claims(answer.path("access_token").asString());
        assertThat(access.path("sub").asString()).isEqualTo("ops");
        assertThat(access.path("roles").toString()).isEqualTo("[\"OPS\"]");
        assertThat(access.path("aud").asString()).isEqualTo("su7-services");
        assertThat(claims(answer.path("id_token").asString()).path("iss").asString()).isEqualTo("http://issuer.test");

        HttpResponse<String> renewed = postForm("/oauth2/token", Map.of("grant_type", "refresh_token",
                "refresh_token", answer.path("refresh_token").asString()), "console:" + CONSOLE_SECRET);
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        assertThat(claims(JSON.readTree(renewed.body()).path("access_token").asString()).path("roles").toString()).isEqualTo("[\"OPS\"]");
    }

    @Test
    void aWrongPasswordGetsTheFormAgainAndNoCode() throws Exception {
        HttpResponse<String> authorize = get(authorizationRequest());
        HttpResponse<String> form = get(location(authorize));
        HttpResponse<String> refused = postForm("/login", Map.of("username", "ops", "password", "wrong password!", "_csrf", csrf(form.body())), null);

        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(location(refused)).endsWith("/login?error");
        assertThat(get(authorizationRequest()).headers().firstValue("Location").orElseThrow()).endsWith("/login");
    }

    @Test
    void aRedirectThatIsNotRegisteredGetsNoCode() throws Exception {
        String elsewhere = authorizationRequest().replace(URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8),
                URLEncoder.encode("http://attacker.test/login/oauth2/code/su7", StandardCharsets.UTF_8));
        assertThat(get(elsewhere).statusCode()).isEqualTo(400);
    }

    @Test
    void refusesToStartWithAShortPasswordOrABrowserClientWithRolesOfItsOwn() {
        String client = "--su7.authorization.clients.console.secret=" + CONSOLE_SECRET;
        assertThatThrownBy(() -> SpringApplication.run(AuthorizationServerApplication.class, "--server.port=0", client,
                "--su7.authorization.clients.console.redirect-uris=http://127.0.0.1/cb",
                "--su7.authorization.users.ops.password=short", "--su7.authorization.users.ops.roles=OPS"))
                .hasStackTraceContaining("su7.authorization.users.ops.password must have at least 12 characters");
        assertThatThrownBy(() -> SpringApplication.run(AuthorizationServerApplication.class, "--server.port=0", client,
                "--su7.authorization.clients.console.redirect-uris=http://127.0.0.1/cb", "--su7.authorization.clients.console.roles=OPS"))
                .hasStackTraceContaining("su7.authorization.clients.console has redirect-uris and roles");
    }

    private String authorizationRequest() throws Exception {
        String challenge = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII)));
        return "/oauth2/authorize?response_type=code&client_id=console&scope=openid&state=s1&code_challenge_method=S256"
                + "&code_challenge=" + challenge + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(String pathOrUri) throws Exception {
        URI uri = pathOrUri.startsWith("http") ? URI.create(pathOrUri) : URI.create("http://127.0.0.1:" + port + pathOrUri);
        return browser.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String path, Map<String, String> fields, String basicLogin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(fields.entrySet().stream()
                        .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"))));
        if (basicLogin != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basicLogin.getBytes(StandardCharsets.UTF_8)));
        }
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location: " + response));
    }

    private static String csrf(String page) {
        Matcher token = CSRF.matcher(page);
        assertThat(token.find()).as("the login form's CSRF token in %s", page).isTrue();
        return token.group(1);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] keyValue = pair.split("=", 2);
            parameters.put(keyValue[0], java.net.URLDecoder.decode(keyValue[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static JsonNode claims(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
