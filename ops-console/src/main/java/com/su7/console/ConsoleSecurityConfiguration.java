package com.su7.console;

import com.su7.console.services.ServiceApis;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Ops log in through the authorization server (authorization code, OIDC); the console keeps their tokens on the
 * server, by user (never in the browser, dropped at logout), and calls the services with them. The browser talks to the console only, with a
 * session cookie and a CSRF token on every change.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

    @Bean
    SecurityFilterChain console(HttpSecurity http, ClientRegistrationRepository registrations, OAuth2AuthorizedClientService clients,
                                @Value("${su7.console.post-logout-redirect-uri}") String afterLogout) throws Exception {
        OidcClientInitiatedLogoutSuccessHandler loggedOut = new OidcClientInitiatedLogoutSuccessHandler(registrations);
        if (!afterLogout.isBlank()) {
            loggedOut.setPostLogoutRedirectUri(afterLogout);
        }
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/logged-out.html", "/console.css").permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().authenticated())
                // A page asked for without a session goes to the authorization server's login; a call of the
                // console's API answers 401, and the page sends the user to log in again.
                .oauth2Login(Customizer.withDefaults())
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(
                        new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), PathPatternRequestMatcher.pathPattern("/console/api/**")))
                // The pages read the token from the XSRF-TOKEN cookie and send it as X-XSRF-TOKEN.
                .csrf(csrf -> csrf.spa())
                // Out of the authorization server too (OpenID Connect RP-initiated logout), or the next visit would log
                // straight back in; the server then sends the browser to the logged-out page.
                .logout(logout -> logout
                        // The user's tokens are kept by user, not in the session: they go with the logout.
                        .addLogoutHandler((request, response, user) -> {
                            if (user != null) {
                                clients.removeAuthorizedClient(ServiceApis.REGISTRATION, user.getName());
                            }
                        })
                        .logoutSuccessHandler(loggedOut))
                .headers(headers -> headers.contentSecurityPolicy(policy -> policy.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")));
        return http.build();
    }

    /**
     * Tokens by user, renewed with the refresh token when they expire; it needs no servlet request, so the launch
     * page can ask the three services at once.
     */
    @Bean
    OAuth2AuthorizedClientManager authorizedClients(ClientRegistrationRepository registrations, OAuth2AuthorizedClientService clients) {
        AuthorizedClientServiceOAuth2AuthorizedClientManager manager =
                new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, clients);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder().authorizationCode().refreshToken().build());
        return manager;
    }
}
