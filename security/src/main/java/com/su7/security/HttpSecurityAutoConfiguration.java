package com.su7.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.util.StringUtils;

import java.util.Collection;

/**
 * HTTP security of every service: a stateless JSON API for OAuth2 bearer tokens (JWTs from the authorization
 * server, checked here against its published keys: no call to it per request, no password hash), roles from the
 * token's {@code roles} claim, refusals as problem details, and input limits.
 * <ul>
 *   <li>anonymous: {@code /actuator/health} and its liveness and readiness groups, nothing else</li>
 *   <li>role APP: the customer-facing API ({@code su7.security.app-paths}); role OPS may read it too</li>
 *   <li>role OPS: everything else, reads included (ops data, the rest of actuator, the API docs)</li>
 * </ul>
 * The token's issuer, key set and audience are Spring Boot's {@code spring.security.oauth2.resourceserver.jwt.*}.
 * An application that declares its own filter chain, token decoder, firewall, observation settings or
 * failed-authentication filter keeps it: each bean here yields to one of the application's.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties({HttpSecurityProperties.class, OAuth2ResourceServerProperties.class})
public class HttpSecurityAutoConfiguration {

    public static final String OPS = "OPS";
    public static final String APP = "APP";
    /** The claim of the access token that lists the client's roles. */
    public static final String ROLES_CLAIM = "roles";

    @Bean
    @ConditionalOnMissingBean
    SecurityFilterChain apiSecurity(HttpSecurity http, HttpSecurityProperties properties) throws Exception {
        ProblemResponses problems = new ProblemResponses();
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .oauth2ResourceServer(tokens -> tokens
                        .bearerTokenResolver(new BearerTokenHeader())
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(rolesFromClaim()))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(new RequestBodyLimitFilter(properties.maxRequestBody().toBytes()), BearerTokenAuthenticationFilter.class)
                .addFilterAfter(new ClientRateLimitFilter(properties.rateLimit()), BearerTokenAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> {
                    requests.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/liveness",
                                    "/actuator/health/readiness").permitAll()
                            // Renders the error of a request that was already let through.
                            .requestMatchers("/error").permitAll();
                    for (String path : properties.appPaths()) {
                        requests.requestMatchers(HttpMethod.GET, path).hasAnyRole(APP, OPS)
                                .requestMatchers(path).hasRole(APP);
                    }
                    requests.anyRequest().hasRole(OPS);
                });
        return http.build();
    }

    /**
     * No observation per security filter, authentication and authorization: they cost more CPU than the request's
     * own work (a fifth of orders-service's CPU when placing preorders, measured with JFR); the HTTP server's own
     * observation still times every request, refusals included.
     */
    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Spring Security's strict firewall, with its header check done without regular expressions. */
    @Bean
    @ConditionalOnMissingBean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderValues::allowed);
        firewall.setAllowedHeaderValues(HeaderValues::allowed);
        return firewall;
    }

    /** Right after the HTTP server's observation: an address that keeps failing to authenticate is refused before its request costs anything. */
    @Bean
    @ConditionalOnMissingFilterBean(FailedAuthenticationLimitFilter.class)
    FilterRegistrationBean<FailedAuthenticationLimitFilter> failedAuthenticationLimit(HttpSecurityProperties properties) {
        return FailedAuthenticationLimitFilter.registration(properties.failedAuthentications());
    }

    /**
     * Checks a token's signature against the issuer's published keys (fetched once, again only for a key id it has not
     * seen), then its issuer, audience and lifetime; a service starts only when it knows whom to trust.
     */
    @Bean
    @ConditionalOnMissingBean
    JwtDecoder accessTokenDecoder(OAuth2ResourceServerProperties resourceServer, HttpSecurityProperties properties) {
        OAuth2ResourceServerProperties.Jwt jwt = resourceServer.getJwt();
        if (!StringUtils.hasText(jwt.getIssuerUri()) || !StringUtils.hasText(jwt.getJwkSetUri()) || jwt.getAudiences().isEmpty()) {
            throw new IllegalStateException("The service needs to know whose access tokens to trust: set "
                    + "spring.security.oauth2.resourceserver.jwt.issuer-uri, .jwk-set-uri and .audiences (OAUTH2_ISSUER_URI, "
                    + "OAUTH2_JWK_SET_URI; now %s, %s, %s)".formatted(jwt.getIssuerUri(), jwt.getJwkSetUri(), jwt.getAudiences()));
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwt.getJwkSetUri()).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(properties.tokenClockSkew()),
                new JwtIssuerValidator(jwt.getIssuerUri()),
                new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
                        audiences -> audiences != null && audiences.stream().anyMatch(jwt.getAudiences()::contains))));
        return new VerifiedTokens(decoder, properties.tokenClockSkew());
    }

    private static JwtAuthenticationConverter rolesFromClaim() {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(ROLES_CLAIM);
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        return converter;
    }
}
