package com.su7.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Refuses, with 429 and {@code Retry-After}, every request from a remote address that failed to authenticate more
 * often than its budget allows (a token bucket per address, Bucket4j): before the request is parsed, its token
 * checked or its body read. A request counts as a failure when it ends with 401, whatever refused it (a missing,
 * forged or expired token; a wrong client secret at the token endpoint); a failure is taken from the bucket even when
 * it is empty (it goes into debt), so many requests sent at once cannot all slip through on its last token. Health
 * checks are never refused. It runs outside Spring Security, before any other filter but the HTTP server's
 * observation (so its 429s are in {@code http.server.requests}), and guards the services and the authorization server.
 * Behind a proxy, set {@code server.forward-headers-strategy} so that the remote address is the client's.
 */
public final class FailedAuthenticationLimitFilter extends OncePerRequestFilter {

    /** Addresses are forgotten after this long without a request: the map stays bounded whatever the traffic. */
    private static final Duration FORGET_AFTER = Duration.ofMinutes(10);
    private static final int MAXIMUM_ADDRESSES = 100_000;

    private static final String HEALTH = "/actuator/health";

    private final HttpSecurityProperties.FailedAuthentications limit;
    private final Cache<String, Bucket> failures = Caffeine.newBuilder()
            .expireAfterAccess(FORGET_AFTER).maximumSize(MAXIMUM_ADDRESSES).build();

    public FailedAuthenticationLimitFilter(HttpSecurityProperties.FailedAuthentications limit) {
        this.limit = limit;
    }

    /** The filter right after the HTTP server's observation ({@code Ordered.HIGHEST_PRECEDENCE + 1}). */
    public static FilterRegistrationBean<FailedAuthenticationLimitFilter> registration(HttpSecurityProperties.FailedAuthentications limit) {
        FilterRegistrationBean<FailedAuthenticationLimitFilter> registration = new FilterRegistrationBean<>(new FailedAuthenticationLimitFilter(limit));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        Bucket budget = failures.getIfPresent(address);
        if (budget != null && budget.getAvailableTokens() < 1 && !request.getRequestURI().startsWith(HEALTH)) {
            long retryAfterSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(
                    budget.estimateAbilityToConsume(1).getNanosToWaitForRefill() + 999_999_999L));
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
            ProblemResponses.write(request, response, ProblemType.TOO_MANY_REQUESTS,
                    "%s failed to authenticate more than %d times; retry after %d s.".formatted(address, limit.burst(), retryAfterSeconds));
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
            failures.get(address, ignored -> newBudget()).consumeIgnoringRateLimits(1);
        }
    }

    private Bucket newBudget() {
        return Bucket.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.burst()).refillGreedy(limit.perSecond(), Duration.ofSeconds(1)))
                .build();
    }
}
