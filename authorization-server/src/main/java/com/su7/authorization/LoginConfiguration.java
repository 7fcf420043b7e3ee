package com.su7.authorization;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * How people log in (for a login client, see {@link AuthorizationProperties.Client}): Spring Security's own login
 * page, served from here, with a CSRF token and a session (cookie {@code SU7_AUTHORIZATION_SESSION}). Passwords are
 * hashed once at start-up (bcrypt) and checked at login only, one hash per login: the services take the tokens, so no
 * API request costs a hash.
 */
@Configuration(proxyBeanMethods = false)
class LoginConfiguration {

    /** NIST SP 800-63B-4: a password that is the only factor has at least 15 characters. */
    static final int MINIMUM_PASSWORD_LENGTH = 15;
    /** bcrypt reads no further: the rest of a longer password would be ignored. */
    private static final int MAXIMUM_PASSWORD_BYTES = 72;
    /** Spring Security's login page, and where it shows its error. */
    static final String LOGIN_PAGE = "/login";
    private static final String LOGIN_ERROR_PAGE = LOGIN_PAGE + "?error";

    /** Everything but the authorization server's endpoints (whose chain comes first): the login page and health. */
    @Bean
    @Order(2)
    SecurityFilterChain login(HttpSecurity http, AuthorizationProperties properties) throws Exception {
        http.authenticationManager(userLogins(properties.users()))
                .formLogin(login -> login.permitAll().withObjectPostProcessor(refusalsAnswer401()))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().authenticated());
        return http.build();
    }

    /**
     * The login's own authentication manager, and no bean: the client-secret encoder (a bean, which Spring
     * Authorization Server takes for the client secrets) never sees a password, and bcrypt never sees a client secret.
     */
    private static AuthenticationManager userLogins(Map<String, AuthorizationProperties.User> users) {
        PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        List<UserDetails> accounts = users.entrySet().stream()
                .map(user -> account(user.getKey(), user.getValue(), passwords))
                .toList();
        // An unknown username costs a hash too (DaoAuthenticationProvider), so the time taken tells no one it exists.
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(new InMemoryUserDetailsManager(accounts));
        provider.setPasswordEncoder(passwords);
        return new ProviderManager(provider);
    }

    private static UserDetails account(String username, AuthorizationProperties.User user, PasswordEncoder passwords) {
        String property = "su7.authorization.users." + username;
        String variable = "SU7_AUTHORIZATION_USERS_%s_".formatted(username.toUpperCase());
        if (user.password() == null || user.password().isBlank()) {
            throw new IllegalStateException("%s.password is missing (%sPASSWORD): user %s could not log in".formatted(property, variable, username));
        }
        if (user.password().length() < MINIMUM_PASSWORD_LENGTH) {
            throw new IllegalStateException("%s.password has fewer than %d characters: use a generated password"
                    .formatted(property, MINIMUM_PASSWORD_LENGTH));
        }
        if (user.password().getBytes(StandardCharsets.UTF_8).length > MAXIMUM_PASSWORD_BYTES) {
            throw new IllegalStateException("%s.password has more than %d bytes, more than bcrypt reads"
                    .formatted(property, MAXIMUM_PASSWORD_BYTES));
        }
        if (user.roles().isEmpty()) {
            throw new IllegalStateException("%s.roles is empty (%sROLES): give it OPS".formatted(property, variable));
        }
        return User.withUsername(username)
                .password(passwords.encode(user.password()))
                .roles(user.roles().toArray(String[]::new))
                .build();
    }

    /**
     * A refused login answers 401 with the login page and its error, not the usual redirect to that page: the
     * failed-authentication limit counts each address's 401s, so it stops a password guesser as it stops a secret
     * guesser at the token endpoint.
     */
    private static ObjectPostProcessor<UsernamePasswordAuthenticationFilter> refusalsAnswer401() {
        return new ObjectPostProcessor<UsernamePasswordAuthenticationFilter>() {
            @Override
            public <F extends UsernamePasswordAuthenticationFilter> F postProcess(F filter) {
                filter.setAuthenticationFailureHandler(LoginConfiguration::refuse);
                return filter;
            }
        };
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, AuthenticationException refused)
            throws IOException, ServletException {
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        // The page with the error is what a GET of LOGIN_ERROR_PAGE shows; a POST there would be a login again.
        request.getRequestDispatcher(LOGIN_ERROR_PAGE).forward(new HttpServletRequestWrapper(request) {
            @Override
            public String getMethod() {
                return HttpMethod.GET.name();
            }
        }, response);
    }
}
