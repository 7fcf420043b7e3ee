package com.su7.authorization;

import com.su7.security.FailedAuthenticationLimitFilter;
import com.su7.security.HttpSecurityAutoConfiguration;
import com.su7.security.HttpSecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
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
 * The client-credentials grant for the system's clients: each gets a signed JWT whose {@code roles} claim the
 * services turn into their roles, and whose {@code aud} names the services. Only the token endpoint, the key set
 * and the metadata are served; there are no users and no browser logins.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpSecurityProperties.class)
class AuthorizationServerConfiguration {

    @Bean
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(Customizer.withDefaults())
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().authenticated());
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
        if (client.roles().isEmpty()) {
            throw new IllegalStateException("su7.authorization.clients.%s.roles is empty: give it OPS or APP".formatted(id));
        }
        if (client.secret().length() < Sha256SecretEncoder.MINIMUM_SECRET_LENGTH) {
            throw new IllegalStateException("su7.authorization.clients.%s.secret has fewer than %d characters: use a generated secret"
                    .formatted(id, Sha256SecretEncoder.MINIMUM_SECRET_LENGTH));
        }
        return RegisteredClient.withId(id)
                .clientId(id)
                .clientSecret("{" + Sha256SecretEncoder.ID + "}" + new Sha256SecretEncoder().encode(client.secret()))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(properties.tokenTimeToLive()).build())
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

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> rolesAndAudience(AuthorizationProperties properties) {
        return context -> {
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                AuthorizationProperties.Client client = properties.clients().get(context.getRegisteredClient().getClientId());
                context.getClaims().claim(HttpSecurityAutoConfiguration.ROLES_CLAIM, List.copyOf(client.roles())).audience(List.of(properties.audience()));
            }
        };
    }
}
