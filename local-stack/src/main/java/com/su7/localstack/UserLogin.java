package com.su7.localstack;

/**
 * A person's login at the authorization server, generated at every start: the ops user, who logs in to the ops
 * console with it.
 *
 * @param role the {@code roles} claim of the tokens issued to the user
 */
public record UserLogin(String username, String password, String role) {

    /** Ops people, in the ops console. */
    public static final String OPS = "ops";

    static UserLogin generateOps() {
        return new UserLogin(OPS, Secrets.random(), "OPS");
    }

    @Override
    public String toString() {
        return "UserLogin[username=%s, role=%s, password=***]".formatted(username, role);
    }
}
