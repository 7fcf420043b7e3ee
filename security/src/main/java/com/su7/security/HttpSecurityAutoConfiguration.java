package com.su7.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

import java.util.List;
import java.util.Map;

/**
 * HTTP security of every service: a stateless JSON API behind HTTP Basic (no sessions, so no CSRF tokens),
 * clients and their roles from configuration, refusals as problem details, and input limits.
 * <ul>
 *   <li>anonymous: {@code /actuator/health} and its liveness and readiness groups, nothing else</li>
 *   <li>role APP: the customer-facing API ({@code su7.security.app-paths}); role OPS may read it too</li>
 *   <li>role OPS: everything else, reads included (ops data, the rest of actuator, the API docs)</li>
 * </ul>
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(HttpSecurityProperties.class)
public class HttpSecurityAutoConfiguration {

    public static final String OPS = "OPS";
    public static final String APP = "APP";

    private static final Logger log = LoggerFactory.getLogger(HttpSecurityAutoConfiguration.class);

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, HttpSecurityProperties properties) throws Exception {
        ProblemResponses problems = new ProblemResponses();
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(new RequestBodyLimitFilter(properties.maxRequestBody().toBytes()), BasicAuthenticationFilter.class)
                .addFilterAfter(new ClientRateLimitFilter(properties.rateLimit()), BasicAuthenticationFilter.class)
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

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService clients(HttpSecurityProperties properties) {
        List<UserDetails> users = properties.users().entrySet().stream()
                .filter(user -> user.getValue().password() != null && !user.getValue().password().isBlank())
                .map(HttpSecurityAutoConfiguration::user)
                .toList();
        if (users.isEmpty()) {
            log.warn("No HTTP client has a password (su7.security.users.<name>.password): every API call but health is refused");
        }
        return new InMemoryUserDetailsManager(users);
    }

    private static UserDetails user(Map.Entry<String, HttpSecurityProperties.Client> entry) {
        String password = entry.getValue().password().strip();
        if (!password.startsWith("{") || password.startsWith("{noop}")) {
            throw new IllegalStateException(("su7.security.users.%s.password must be a hash with its encoder's id, e.g. {bcrypt}$2a$10$..., "
                    + "never the password itself").formatted(entry.getKey()));
        }
        if (entry.getValue().roles().isEmpty()) {
            throw new IllegalStateException("su7.security.users.%s.roles is empty: give it OPS or APP".formatted(entry.getKey()));
        }
        return User.withUsername(entry.getKey()).password(password)
                .roles(entry.getValue().roles().toArray(String[]::new)).build();
    }
}
