package com.su7.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may call what on a running service: a table of {@code caller method path status} lines, every line sent and
 * the differences reported together. Callers: {@code anonymous}, {@code ops} and {@code app} (the shared stack's
 * clients, with their access tokens), {@code guessing} (a made-up token). A refusal must also be problem details: a
 * 401 with a Bearer challenge, a 403 saying who may not call what. The rows every service shares (health to anyone,
 * metrics to ops only) are checked too. The security module's own tests check the rest of the refusals.
 */
public final class AccessTable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String EVERY_SERVICE = """
            anonymous GET /actuator/health            200
            anonymous GET /actuator/health/readiness  200
            anonymous GET /actuator/health/liveness   200
            anonymous GET /actuator/prometheus        401
            app       GET /actuator/prometheus        403
            anonymous GET /api/outbox                 401
            app       GET /api/outbox                 403
            ops       GET /api/outbox                 200
            app       POST /api/outbox/set-aside/1/retry 403
            app       DELETE /api/outbox/set-aside/1  403
            ops       POST /api/outbox/set-aside/999999999/retry 404
            ops       DELETE /api/outbox/set-aside/999999999 404
            """;

    private record Row(String caller, String method, String path, int status) {
    }

    private AccessTable() {
    }

    /** Sends every line of the table (and the shared rows) to the service; fails listing each one answered otherwise. */
    public static void check(int port, String table) {
        List<String> wrong = new ArrayList<>();
        for (String line : (EVERY_SERVICE + table).strip().split("\n")) {
            String[] cells = line.strip().split("\\s+");
            Row row = new Row(cells[0], cells[1], cells[2], Integer.parseInt(cells[3]));
            HttpResponse<String> response = send(port, row);
            String answered = "%s %s %s: %d".formatted(row.caller(), row.method(), row.path(), response.statusCode());
            if (response.statusCode() != row.status()) {
                wrong.add("%s, expected %d".formatted(answered, row.status()));
            } else if ((row.status() == 401 || row.status() == 403)
                    && !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                wrong.add(answered + ", but not as problem details");
            } else if (row.status() == 401 && !response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")) {
                wrong.add(answered + ", but without a Bearer challenge");
            } else if (row.status() == 403 && !response.body().contains("may not %s %s".formatted(row.method(), row.path()))) {
                wrong.add(answered + ", but its detail does not say what was refused");
            }
        }
        if (!wrong.isEmpty()) {
            throw new AssertionError("access differs from the table:\n  " + String.join("\n  ", wrong));
        }
    }

    private static HttpResponse<String> send(int port, Row row) {
        // A body where the method takes one: a refusal comes before the body is read.
        boolean hasBody = List.of("POST", "PUT", "PATCH").contains(row.method());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + row.path()))
                .timeout(Duration.ofSeconds(30))
                .method(row.method(), hasBody ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (hasBody) {
            request.header("Content-Type", "application/json");
        }
        String authorization = switch (row.caller()) {
            case "anonymous" -> null;
            case "guessing" -> "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcHMifQ.Z3Vlc3NlZA";
            default -> SharedLocalStack.get().accessTokens(row.caller()).authorization();
        };
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("%s %s failed".formatted(row.method(), row.path()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
