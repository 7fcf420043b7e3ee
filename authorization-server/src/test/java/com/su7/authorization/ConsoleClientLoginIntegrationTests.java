package com.su7.authorization;

import com.su7.security.HttpSecurityAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ops console's side of a login as Spring Boot sets it up from properties alone (registration {@code su7}, the
 * provider found through this server's OpenID Connect metadata): a browser goes from the console to the login page
 * and back, and the console holds the user's access token for its calls to the services. Both servers run on
 * 127.0.0.1, as in the local stack, so the browser sends each one's session cookie to the other as well.
 */
class ConsoleClientLoginIntegrationTests {

    private static final String CONSOLE_SECRET = "0123456789abcdef0123456789abcdef";
    private static final String OPS_PASSWORD = "correct horse battery staple";
    private static final Pattern CSRF_TOKEN = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void consoleLogsOpsInWithSpringSecuritysDefaultsAndHoldsTheirAccessToken() throws Exception {
        int port = freePort();
        String issuer = "http://127.0.0.1:" + port;
        try (ConfigurableApplicationContext authorizationServer = SpringApplication.run(AuthorizationServerApplication.class,
                "--server.port=" + port,
                "--spring.security.oauth2.authorizationserver.issuer=" + issuer,
                "--su7.authorization.clients.console.secret=" + CONSOLE_SECRET,
                "--su7.authorization.clients.console.redirect-uris=http://127.0.0.1:8080/login/oauth2/code/su7",
                "--su7.authorization.users.ops.password=" + OPS_PASSWORD,
                "--su7.authorization.users.ops.roles=OPS");
             ConfigurableApplicationContext console = new SpringApplicationBuilder(Console.class).properties(
                     "spring.config.name=console-without-config-files",
                     "server.address=127.0.0.1",
                     "server.port=0",
                     "server.servlet.session.cookie.name=SU7_CONSOLE_SESSION",
                     "spring.autoconfigure.exclude=" + HttpSecurityAutoConfiguration.class.getName(),
                     "spring.security.oauth2.client.registration.su7.client-id=console",
                     "spring.security.oauth2.client.registration.su7.client-secret=" + CONSOLE_SECRET,
                     "spring.security.oauth2.client.registration.su7.scope=openid",
                     "spring.security.oauth2.client.provider.su7.issuer-uri=" + issuer).run()) {
            String consoleUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) console).getWebServer().getPort();
            // Redirects followed, across ports too (HttpClient's NORMAL policy), and one cookie jar for the host.
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NORMAL).build();

            HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(URI.create(consoleUrl + "/"))
                    .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(loginPage.uri().toString()).isEqualTo(issuer + "/login");
            Matcher csrf = CSRF_TOKEN.matcher(loginPage.body());
            assertThat(csrf.find()).isTrue();
            HttpResponse<String> loggedIn = browser.send(HttpRequest.newBuilder(URI.create(issuer + "/login"))
                    .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=ops&password=" + URLEncoder.encode(OPS_PASSWORD, StandardCharsets.UTF_8)
                            + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(loggedIn.statusCode()).as(loggedIn.body()).isEqualTo(200);
            assertThat(loggedIn.uri().toString()).startsWith(consoleUrl + "/");
            String[] answer = loggedIn.body().split("\n");
            assertThat(answer[0]).as("the id token's roles").isEqualTo("[OPS]");
            JsonNode accessToken = JSON.readTree(Base64.getUrlDecoder().decode(answer[1].split("\\.")[1]));
            assertThat(accessToken.path("sub").asString()).isEqualTo("ops");
            assertThat(accessToken.path("aud").asString()).isEqualTo("su7-services");
            assertThat(accessToken.path("roles").toString()).isEqualTo("[\"OPS\"]");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The console, reduced to its login: Spring Boot's OAuth2 client from the properties above, and a page that shows
     * the user's roles from the id token and the access token the console would send to the services.
     */
    @EnableAutoConfiguration
    static class Console {

        @Bean
        SecurityFilterChain login(HttpSecurity http) throws Exception {
            return http.oauth2Login(Customizer.withDefaults())
                    .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .build();
        }

        @Bean
        RouterFunction<ServerResponse> loggedIn(OAuth2AuthorizedClientService authorizedClients) {
            return RouterFunctions.route().GET("/", request -> {
                OAuth2AuthenticationToken user = (OAuth2AuthenticationToken) request.principal().orElseThrow();
                String accessToken = authorizedClients.loadAuthorizedClient("su7", user.getName()).getAccessToken().getTokenValue();
                return ServerResponse.ok().body(((OidcUser) user.getPrincipal()).getClaimAsStringList("roles") + "\n" + accessToken);
            }).build();
        }
    }
}
