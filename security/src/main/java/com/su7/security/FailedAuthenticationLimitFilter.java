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
 * forged or expired token; a wrong client secret at the token endpoint). It runs outside Spring Security, first of
 * all filters, so the same class guards the services and the authorization server.
 */
public final class FailedAuthenticationLimitFilter extends OncePerRequestFilter {

    /** Addresses are forgotten after this long without a failure: the map stays bounded whatever the traffic. */
    private static final Duration FORGET_AFTER = Duration.ofMinutes(10);
    private static final int MAXIMUM_ADDRESSES = 100_000;

    private final HttpSecurityProperties.FailedAuthentications limit;
    private final Cache<String, Bucket> failures = Caffeine.newBuilder()
            .expireAfterAccess(FORGET_AFTER).maximumSize(MAXIMUM_ADDRESSES).build();

    public FailedAuthenticationLimitFilter(HttpSecurityProperties.FailedAuthentications limit) {
        this.limit = limit;
    }

    /** The filter as the first of the servlet container's filters. */
    public static FilterRegistrationBean<FailedAuthenticationLimitFilter> registration(HttpSecurityProperties.FailedAuthentications limit) {
        FilterRegistrationBean<FailedAuthenticationLimitFilter> registration = new FilterRegistrationBean<>(new FailedAuthenticationLimitFilter(limit));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        Bucket budget = failures.getIfPresent(address);
        if (budget != null && budget.getAvailableTokens() < 1) {
            long retryAfterSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(
                    budget.estimateAbilityToConsume(1).getNanosToWaitForRefill() + 999_999_999L));
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
            ProblemResponses.write(request, response, HttpStatus.TOO_MANY_REQUESTS,
                    "%s failed to authenticate more than %d times; retry after %d s.".formatted(address, limit.burst(), retryAfterSeconds));
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
            failures.get(address, ignored -> newBudget()).tryConsume(1);
        }
    }

    private Bucket newBudget() {
        return Bucket.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.burst()).refillGreedy(limit.perSecond(), Duration.ofSeconds(1)))
                .build();
    }
}
