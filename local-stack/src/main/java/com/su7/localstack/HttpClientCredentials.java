package com.su7.localstack;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * A client of the services' HTTP APIs with a password generated at start: the services get its bcrypt hash,
 * the client (curl, the launch simulation, tests) the password.
 *
 * @param username the user name, also the name of its password file
 * @param role     {@code OPS} or {@code APP}
 */
public record HttpClientCredentials(String username, String role, String password, String passwordHash) {

    /** Ops people and tools, and the car app's backend. */
    public static final String OPS = "ops";
    public static final String APP = "app";

    private static final SecureRandom RANDOM = new SecureRandom();
    // A random 128-bit secret cannot be guessed, however fast its hash: the low work factor (about 2 ms
    // instead of about 67 ms at the default 10, measured here) keeps HTTP Basic, checked on every request, cheap.
    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(4, RANDOM);

    static List<HttpClientCredentials> generate() {
        return List.of(generate(OPS, "OPS"), generate(APP, "APP"));
    }

    private static HttpClientCredentials generate(String username, String role) {
        byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        return new HttpClientCredentials(username, role, password, "{bcrypt}" + BCRYPT.encode(password));
    }

    @Override
    public String toString() {
        return "HttpClientCredentials[username=%s, role=%s, password=***]".formatted(username, role);
    }
}
