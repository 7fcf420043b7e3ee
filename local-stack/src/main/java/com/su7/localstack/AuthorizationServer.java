package com.su7.localstack;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The system's OAuth2 authorization server (our {@code authorization-server} module, Spring Authorization Server),
 * run as its own JVM from its executable jar, which is on this module's classpath. It issues the HTTP clients'
 * access tokens (client credentials) and those of the people who log in at the ops console (authorization code); the
 * services check them against its key set. Its signing key lives in memory:
 * tokens issued before a restart are refused after it, and clients fetch new ones.
 */
final class AuthorizationServer implements LocalServer {

    static final String TOKEN_PATH = "/oauth2/token";
    static final String JWK_SET_PATH = "/oauth2/jwks";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    // Any class of the server's: in its executable jar it sits under BOOT-INF/classes, which names the jar.
    private static final String APPLICATION_CLASS = "BOOT-INF/classes/com/su7/authorization/AuthorizationServerApplication.class";

    private final int port;
    private final ChildProcess process;

    private AuthorizationServer(int port, ChildProcess process) {
        this.port = port;
        this.process = process;
    }

    static AuthorizationServer start(int port, List<HttpClientCredentials> clients, LoginClientCredentials loginClient,
                                     UserCredentials user, Path logs) {
        String issuer = issuer(port);
        List<String> command = new ArrayList<>(List.of(
                JavaRuntimes.java21OrNewer().toString(),
                // A few token requests per client every few minutes: a small heap, no optimising compiler.
                "-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", executableJar().toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("AUTHORIZATION_SERVER_PORT", String.valueOf(port));
        builder.environment().put("OAUTH2_ISSUER_URI", issuer);
        // In the child's environment, not its command line: ps shows no secret.
        for (HttpClientCredentials client : clients) {
            String prefix = "SU7_AUTHORIZATION_CLIENTS_%s_".formatted(client.clientId().toUpperCase());
            builder.environment().put(prefix + "SECRET", client.secret());
            builder.environment().put(prefix + "ROLES", client.role());
        }
        String loginClientPrefix = "SU7_AUTHORIZATION_CLIENTS_%s_".formatted(loginClient.clientId().toUpperCase());
        builder.environment().put(loginClientPrefix + "SECRET", loginClient.secret());
        builder.environment().put(loginClientPrefix + "REDIRECTURIS", loginClient.redirectUri());
        builder.environment().put(loginClientPrefix + "POSTLOGOUTREDIRECTURIS", loginClient.postLogoutRedirectUri());
        String userPrefix = "SU7_AUTHORIZATION_USERS_%s_".formatted(user.username().toUpperCase());
        builder.environment().put(userPrefix + "PASSWORD", user.password());
        builder.environment().put(userPrefix + "ROLES", user.role());
        ChildProcess process = ChildProcess.start("authorization server", builder, logs.resolve("authorization-server.log"));
        AuthorizationServer server = new AuthorizationServer(port, process);
        try {
            process.awaitReady(READY_TIMEOUT, server::answers);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return server;
    }

    static String issuer(int port) {
        return "http://127.0.0.1:" + port;
    }

    String issuer() {
        return issuer(port);
    }

    String tokenUri() {
        return issuer() + TOKEN_PATH;
    }

    String jwkSetUri() {
        return issuer() + JWK_SET_PATH;
    }

    long pid() {
        return process.pid();
    }

    private boolean answers() {
        return ChildProcess.answersOk(URI.create(jwkSetUri()));
    }

    private static Path executableJar() {
        URL application = AuthorizationServer.class.getClassLoader().getResource(APPLICATION_CLASS);
        if (application == null || !"jar".equals(application.getProtocol())) {
            throw new LocalStackException("the authorization server's executable jar is not on the classpath: "
                    + "build with ./mvnw package (or install) first");
        }
        String path = application.getPath();
        try {
            return Path.of(new URI(path.substring(0, path.indexOf("!/"))));
        } catch (URISyntaxException e) {
            throw new LocalStackException("cannot locate the authorization server's jar from " + application, e);
        }
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public void kill() {
        process.stop(Duration.ZERO);
    }
}
