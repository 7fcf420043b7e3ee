package com.su7.localstack;

/**
 * A person who logs in at the authorization server through a login client (the ops console), with a password
 * generated at every start.
 *
 * @param role the {@code roles} claim of the access tokens issued for them: {@code OPS}
 */
public record UserCredentials(String username, String role, String password) {

    /** Ops at the console. */
    public static final String OPS = "ops";

    static UserCredentials generateOps() {
        return new UserCredentials(OPS, "OPS", Secrets.random());
    }

    @Override
    public String toString() {
        return "UserCredentials[username=%s, role=%s, password=***]".formatted(username, role);
    }
}
