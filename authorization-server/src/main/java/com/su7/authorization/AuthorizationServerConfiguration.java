package com.su7.authorization;

import com.su7.security.FailedAuthenticationLimitFilter;
import com.su7.security.HttpSecurityAutoConfiguration;
import com.su7.security.HttpSecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The system's clients and their tokens. A machine client (client credentials) gets a signed JWT whose {@code roles}
 * claim (its own roles) the services turn into their roles, and whose {@code aud} names the services. A login client
 * (the ops console) logs a user in through the browser (authorization code with PKCE, OpenID Connect: an id token
 * too) and gets the same JWT with the user's roles; {@link LoginConfiguration} has the login page.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpSecurityProperties.class)
class AuthorizationServerConfiguration {

    private static final OAuth2TokenType ID_TOKEN = new OAuth2TokenType(OidcParameterNames.ID_TOKEN);
    private static final String ROLE_PREFIX = "ROLE_";

    /**
     * The authorization server's endpoints, before every other chain. A browser that is not logged in is sent to the
     * login page, and its authorization request is kept in its session for after the login; every other request
     * (a client at the token endpoint) creates no session.
     */
    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
        MediaTypeRequestMatcher browser = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        browser.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        HttpSessionRequestCache browserRequests = new HttpSessionRequestCache();
        browserRequests.setRequestMatcher(browser);
        http.oauth2AuthorizationServer(authorizationServer -> {
                    http.securityMatcher(authorizationServer.getEndpointsMatcher());
                    authorizationServer.oidc(Customizer.withDefaults());
                })
                // No forms here, only clients' requests and redirects (state and PKCE guard those): Spring's
                // configurer exempts these endpoints from CSRF protection anyway.
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(cache -> cache.requestCache(browserRequests))
                .exceptionHandling(exceptions -> exceptions
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(LoginConfiguration.LOGIN_PAGE), browser))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated());
        return http.build();
    }

    /** Before Spring Security: an address that keeps failing to authenticate is refused before its request costs anything. */
    @Bean
    FilterRegistrationBean<FailedAuthenticationLimitFilter> failedAuthenticationLimit(HttpSecurityProperties properties) {
        return FailedAuthenticationLimitFilter.registration(properties.failedAuthentications());
    }

    @Bean
    RegisteredClientRepository clients(AuthorizationProperties properties) {
        List<RegisteredClient> clients = properties.clients().entrySet().stream()
                .filter(client -> client.getValue().secret() != null && !client.getValue().secret().isBlank())
                .map(client -> client(client.getKey(), client.getValue(), properties))
                .toList();
        if (clients.isEmpty()) {
            throw new IllegalStateException("No client has a secret (su7.authorization.clients.<id>.secret, e.g. "
                    + "SU7_AUTHORIZATION_CLIENTS_APP_SECRET): this server could issue no token");
        }
        return new InMemoryRegisteredClientRepository(clients);
    }

    private static RegisteredClient client(String id, AuthorizationProperties.Client client, AuthorizationProperties properties) {
        if (client.secret().length() < Sha256SecretEncoder.MINIMUM_SECRET_LENGTH) {
            throw new IllegalStateException("su7.authorization.clients.%s.secret has fewer than %d characters: use a generated secret"
                    .formatted(id, Sha256SecretEncoder.MINIMUM_SECRET_LENGTH));
        }
        RegisteredClient.Builder registered = RegisteredClient.withId(id)
                .clientId(id)
                .clientSecret("{" + Sha256SecretEncoder.ID + "}" + new Sha256SecretEncoder().encode(client.secret()))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(properties.tokenTimeToLive()).build());
        return client.logsUsersIn() ? loginClient(id, client, properties, registered) : machineClient(id, client, registered);
    }

    private static RegisteredClient machineClient(String id, AuthorizationProperties.Client client, RegisteredClient.Builder registered) {
        if (client.roles().isEmpty()) {
            throw new IllegalStateException("su7.authorization.clients.%s.roles is empty: give it OPS or APP (or redirect-uris "
                    + "to make it a login client)".formatted(id));
        }
        return registered.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).build();
    }

    private static RegisteredClient loginClient(String id, AuthorizationProperties.Client client, AuthorizationProperties properties,
                                                RegisteredClient.Builder registered) {
        if (!client.roles().isEmpty()) {
            throw new IllegalStateException(("su7.authorization.clients.%s has redirect-uris and roles: a login client has no "
                    + "roles of its own, its tokens carry its user's").formatted(id));
        }
        if (properties.users().isEmpty()) {
            throw new IllegalStateException(("su7.authorization.clients.%s has redirect-uris but there is no user to log in "
                    + "(su7.authorization.users.<username>.password and .roles, e.g. SU7_AUTHORIZATION_USERS_OPS_PASSWORD)").formatted(id));
        }
        return registered.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUris(uris -> uris.addAll(client.redirectUris()))
                .postLogoutRedirectUris(uris -> uris.addAll(client.postLogoutRedirectUris()))
                .scope(OidcScopes.OPENID)
                // Spring Security's OAuth2 client sends a PKCE challenge for confidential clients too (since 7.0), so
                // requiring it stops a stolen code without stopping the console. No consent: the console is ours.
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(properties.tokenTimeToLive())
                        .refreshTokenTimeToLive(properties.loginTimeToLive()).build())
                .build();
    }

    /**
     * Client secrets are generated, high-entropy values, so a fast hash compared in constant time is as safe as a slow
     * one and keeps the token endpoint cheap: a wrong secret costs microseconds more than an unknown client id (which
     * is refused before any hash), not the tens of milliseconds of a slow hash that would tell them apart.
     */
    @Bean
    PasswordEncoder clientSecretEncoder() {
        return new DelegatingPasswordEncoder(Sha256SecretEncoder.ID, Map.of(Sha256SecretEncoder.ID, new Sha256SecretEncoder()));
    }

    /**
     * The roles of a machine client's tokens are its own; those of a login client's tokens (access and id tokens,
     * also when refreshed) are its user's, as they logged in. Access tokens name the services as their audience.
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> rolesAndAudience(AuthorizationProperties properties) {
        return context -> {
            boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
            if (!accessToken && !ID_TOKEN.equals(context.getTokenType())) {
                return;
            }
            List<String> roles = AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
                    ? List.copyOf(properties.clients().get(context.getRegisteredClient().getClientId()).roles())
                    : roles(context.getPrincipal());
            context.getClaims().claim(HttpSecurityAutoConfiguration.ROLES_CLAIM, roles);
            if (accessToken) {
                context.getClaims().audience(List.of(properties.audience()));
            }
        };
    }

    private static List<String> roles(Authentication user) {
        return user.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority != null && authority.startsWith(ROLE_PREFIX))
                .map(role -> role.substring(ROLE_PREFIX.length()))
                .toList();
    }
}
