package com.su7.authorization;

import org.springframework.security.crypto.password.PasswordEncoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a client secret, compared in constant time. Only for generated secrets: a password a person chose
 * needs a slow hash (bcrypt), a 128-bit random secret does not, and the token endpoint then costs microseconds.
 */
final class Sha256SecretEncoder implements PasswordEncoder {

    static final String ID = "sha256";
    static final int MINIMUM_SECRET_LENGTH = 24;

    @Override
    public String encode(CharSequence secret) {
        return HexFormat.of().formatHex(digest(secret));
    }

    @Override
    public boolean matches(CharSequence secret, String encoded) {
        if (secret == null || encoded == null) {
            return false;
        }
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(encoded);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(digest(secret), expected);
    }

    private static byte[] digest(CharSequence secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
