package com.su7.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket per authenticated client (Bucket4j): over its rate a client gets 429 with {@code Retry-After}.
 * Buckets are per instance: N instances of a service allow N times the rate, which is what a limit against a
 * runaway client needs. Only configured users authenticate, so the map stays as small as the user list.
 */
final class ClientRateLimitFilter extends OncePerRequestFilter {

    private final HttpSecurityProperties.RateLimit limit;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    ClientRateLimitFilter(HttpSecurityProperties.RateLimit limit) {
        this.limit = limit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication client = SecurityContextHolder.getContext().getAuthentication();
        if (client == null || client instanceof AnonymousAuthenticationToken) {
            chain.doFilter(request, response);
            return;
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(client.getName(), name -> newBucket())
                .tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long retryAfterSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        ProblemResponses.write(request, response, ProblemType.TOO_MANY_REQUESTS,
                "%s sent more than %d requests per second; retry after %d s.".formatted(client.getName(),
                        limit.requestsPerSecond(), retryAfterSeconds));
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.burst()).refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1)))
                .build();
    }
}
