package com.su7.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.util.List;
import java.util.Map;

/**
 * Who may call the service and how much.
 *
 * @param users          the service's clients by user name; passwords are hashes with their encoder's id
 *                       ({@code {bcrypt}$2a$...}), never plain text, and come from the environment
 *                       ({@code SU7_SECURITY_USERS_OPS_PASSWORD}); a user without a password cannot log in
 * @param appPaths       path patterns of the customer-facing API: the app client (role APP) calls them, ops
 *                       (role OPS) may read them; every other path but health needs OPS
 * @param maxRequestBody larger request bodies are refused with 413
 * @param rateLimit      requests per authenticated client
 */
@ConfigurationProperties("su7.security")
public record HttpSecurityProperties(@DefaultValue Map<String, Client> users, @DefaultValue List<String> appPaths,
                                     @DefaultValue("64KB") DataSize maxRequestBody, @DefaultValue RateLimit rateLimit) {

    /**
     * @param password the hashed password, with its encoder's id
     * @param roles    {@code OPS}, {@code APP}
     */
    public record Client(String password, @DefaultValue List<String> roles) {
    }

    /**
     * A token bucket per client: {@code burst} requests at once, refilled at {@code requestsPerSecond}.
     */
    public record RateLimit(@DefaultValue("1000") long requestsPerSecond, @DefaultValue("2000") long burst) {

        public RateLimit {
            if (requestsPerSecond <= 0 || burst <= 0) {
                throw new IllegalArgumentException("su7.security.rate-limit needs positive requests-per-second and burst, not %d and %d"
                        .formatted(requestsPerSecond, burst));
            }
        }
    }
}
