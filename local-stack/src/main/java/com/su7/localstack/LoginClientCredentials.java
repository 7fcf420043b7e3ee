package com.su7.localstack;

/**
 * A web application that logs people in at the authorization server (authorization code with PKCE, OpenID Connect)
 * and calls the services with their access tokens, which carry the user's roles: the ops console. Its secret is
 * generated at every start.
 *
 * @param clientId    the OAuth2 client id
 * @param redirectUri           where it receives its authorization codes; on a loopback address any port is accepted
 *                              (RFC 8252), so the console may run on a free port in tests
 * @param postLogoutRedirectUri where the authorization server sends a user it logged out (matched exactly: the console
 *                              on its default port)
 */
public record LoginClientCredentials(String clientId, String secret, String redirectUri, String postLogoutRedirectUri) {

    /** The ops console: Spring Security's OAuth2 login with registration {@code su7}, on port 8080 by default. */
    public static final String CONSOLE = "console";
    static final String CONSOLE_REDIRECT_URI = "http://127.0.0.1:8080/login/oauth2/code/su7";
    static final String CONSOLE_POST_LOGOUT_REDIRECT_URI = "http://127.0.0.1:8080/logged-out.html";

    static LoginClientCredentials generateConsole() {
        return new LoginClientCredentials(CONSOLE, Secrets.random(), CONSOLE_REDIRECT_URI, CONSOLE_POST_LOGOUT_REDIRECT_URI);
    }

    @Override
    public String toString() {
        return "LoginClientCredentials[clientId=%s, secret=***, redirectUri=%s]".formatted(clientId, redirectUri);
    }
}
