package com.su7.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.time.Duration;
import java.time.Instant;

/**
 * Remembers the tokens it has verified until they expire. A client sends the same token with every request for
 * minutes (the car app's backend thousands a second), and verifying it again each time — parsing, an RSA signature
 * check, the claims — cost more CPU than placing a preorder. The key is the whole token, so only the exact bytes that
 * were verified are let through; a refused token is not remembered, and an entry leaves when its token expires (plus
 * the clock skew the validator allows), so an expired token is refused as before.
 */
final class VerifiedTokens implements JwtDecoder {

    private static final int MAXIMUM_TOKENS = 10_000;

    private final JwtDecoder verifier;
    private final Cache<String, Jwt> verified;

    VerifiedTokens(JwtDecoder verifier, Duration clockSkew) {
        this.verifier = verifier;
        this.verified = Caffeine.newBuilder()
                .maximumSize(MAXIMUM_TOKENS)
                .expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> untilExpiry(jwt, clockSkew)))
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.getIfPresent(token);
        if (known != null) {
            return known;
        }
        Jwt jwt = verifier.decode(token);
        if (jwt.getExpiresAt() != null) {
            verified.put(token, jwt);
        }
        return jwt;
    }

    private static Duration untilExpiry(Jwt jwt, Duration clockSkew) {
        Duration left = Duration.between(Instant.now(), jwt.getExpiresAt().plus(clockSkew));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
