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

    /**
     * A token not seen yet is verified once, however many requests bring it at the same moment (a client's first
     * burst with a new token): the others wait for that verification instead of repeating it.
     */
    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt = verified.get(token, this::verifyIfItExpires);
        return jwt != null ? jwt : verifier.decode(token);
    }

    /** A token without an expiry is not remembered: it is verified at every use. */
    private Jwt verifyIfItExpires(String token) {
        Jwt jwt = verifier.decode(token);
        return jwt.getExpiresAt() != null ? jwt : null;
    }

    private static Duration untilExpiry(Jwt jwt, Duration clockSkew) {
        Duration left = Duration.between(Instant.now(), jwt.getExpiresAt().plus(clockSkew));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
