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
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;

import java.util.List;
import java.util.Map;

/**
 * Tokens for the system's clients and its people. Machine clients use the client-credentials grant: each gets a
 * signed JWT whose {@code roles} claim the services turn into their roles, and whose {@code aud} names the services.
 * People (ops) log in with a password to a browser client (the ops console: authorization code, OpenID Connect), whose
 * tokens carry the user's roles instead of the client's. A password is checked (one bcrypt hash) at login only; the
 * services check tokens, never passwords.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpSecurityProperties.class)
class AuthorizationServerConfiguration {

    /** Passwords are typed by people: long enough that guessing them at the login's rate limit is hopeless. */
    static final int MINIMUM_PASSWORD_LENGTH = 12;

    /** The protocol's endpoints: tokens, keys, metadata, authorization (which sends a browser without a login to it). */
    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(server -> {
                    http.securityMatcher(server.getEndpointsMatcher());
                    server.oidc(Customizer.withDefaults());
                })
                .csrf(AbstractHttpConfigurer::disable)
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated());
        return http.build();
    }

    /** The login page, for people; and health, for everyone. */
    @Bean
    @Order(2)
    SecurityFilterChain logins(HttpSecurity http) throws Exception {
        http.formLogin(Customizer.withDefaults())
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().authenticated());
        return http.build();
    }

    /**
     * The people who may log in, with their passwords hashed once at start-up (bcrypt). A bean of its own kind, so the
     * logins get it and the client secrets keep their {@link #clientSecretEncoder()}.
     */
    @Bean
    AuthenticationProvider userLogins(AuthorizationProperties properties) {
        PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        List<UserDetails> users = properties.users().entrySet().stream().map(user -> {
            String name = user.getKey();
            AuthorizationProperties.User settings = user.getValue();
            if (settings.password() == null || settings.password().length() < MINIMUM_PASSWORD_LENGTH) {
                throw new IllegalStateException("su7.authorization.users.%s.password must have at least %d characters"
                        .formatted(name, MINIMUM_PASSWORD_LENGTH));
            }
            if (settings.roles().isEmpty()) {
                throw new IllegalStateException("su7.authorization.users.%s.roles is empty: give the user OPS".formatted(name));
            }
            return User.withUsername(name).password(passwords.encode(settings.password()))
                    .roles(settings.roles().toArray(String[]::new)).build();
        }).toList();
        DaoAuthenticationProvider logins = new DaoAuthenticationProvider(new InMemoryUserDetailsManager(users));
        logins.setPasswordEncoder(passwords);
        return logins;
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
        if (client.logsUsersIn() && !client.roles().isEmpty()) {
            throw new IllegalStateException("su7.authorization.clients.%s has redirect-uris and roles: a client that logs users in "
                    .formatted(id) + "gets their roles, so give it none");
        }
        if (!client.logsUsersIn() && client.roles().isEmpty()) {
            throw new IllegalStateException("su7.authorization.clients.%s.roles is empty: give it OPS or APP".formatted(id));
        }
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
        if (client.logsUsersIn()) {
            // A confidential client on a server of ours: PKCE is taken when it is sent, the secret is always needed.
            return registered.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                    .redirectUris(uris -> uris.addAll(client.redirectUris()))
                    .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE)
                    .clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).build())
                    .build();
        }
        return registered.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).build();
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

    /** A machine client's token carries the client's roles; a logged-in user's, the user's (through any client). */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> rolesAndAudience(AuthorizationProperties properties) {
        return context -> {
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                AuthorizationProperties.Client client = properties.clients().get(context.getRegisteredClient().getClientId());
                List<String> roles = client.logsUsersIn()
                        ? context.getPrincipal().getAuthorities().stream().map(GrantedAuthority::getAuthority)
                                .filter(authority -> authority.startsWith("ROLE_")).map(authority -> authority.substring("ROLE_".length())).toList()
                        : List.copyOf(client.roles());
                context.getClaims().claim(HttpSecurityAutoConfiguration.ROLES_CLAIM, roles).audience(List.of(properties.audience()));
            }
        };
    }
}
