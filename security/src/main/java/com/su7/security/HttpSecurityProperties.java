package com.su7.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * Who may call the service and how much. Who the caller is comes from its access token (a JWT from the
 * authorization server, {@code spring.security.oauth2.resourceserver.jwt.*}); its roles from the token's
 * {@code roles} claim.
 *
 * @param appPaths              path patterns of the customer-facing API: the app client (role APP) calls them, ops
 *                              (role OPS) may read them; every other path but health needs OPS
 * @param maxRequestBody        larger request bodies are refused with 413
 * @param rateLimit             requests per authenticated client
 * @param failedAuthentications requests that end in 401, per remote address
 * @param tokenClockSkew        how far the clocks of the issuer and the service may differ: a token is accepted this
 *                              long after it expired
 */
@ConfigurationProperties("su7.security")
public record HttpSecurityProperties(@DefaultValue List<String> appPaths, @DefaultValue("64KB") DataSize maxRequestBody,
                                     @DefaultValue RateLimit rateLimit, @DefaultValue FailedAuthentications failedAuthentications,
                                     @DefaultValue("30s") Duration tokenClockSkew) {

    /**
     * A token bucket per client: {@code burst} requests at once, refilled at {@code requestsPerSecond}. The car app's
     * backend is one client for every customer, so its default is far above a launch's peak; it stops a runaway loop.
     */
    public record RateLimit(@DefaultValue("10000") long requestsPerSecond, @DefaultValue("20000") long burst) {

        public RateLimit {
            if (requestsPerSecond <= 0 || burst <= 0) {
                throw new IllegalArgumentException("su7.security.rate-limit needs positive requests-per-second and burst, not %d and %d"
                        .formatted(requestsPerSecond, burst));
            }
        }
    }

    /**
     * A token bucket per remote address, taken from by every 401: {@code burst} failures at once, then
     * {@code perSecond}; past that the address gets 429 before its request is looked at.
     */
    public record FailedAuthentications(@DefaultValue("50") long burst, @DefaultValue("5") long perSecond) {

        public FailedAuthentications {
            if (perSecond <= 0 || burst <= 0) {
                throw new IllegalArgumentException("su7.security.failed-authentications needs a positive burst and per-second, not %d and %d"
                        .formatted(burst, perSecond));
            }
        }
    }
}
