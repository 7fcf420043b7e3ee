package com.su7.system;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the schema registry holds under a subject, read through its Confluent-compatible API as any tool would. */
final class RegisteredSchemas {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String confluentApi;

    RegisteredSchemas(String confluentApi) {
        this.confluentApi = confluentApi;
    }

    /** Each version's schema id, in version order; empty when the subject has none. */
    Map<Integer, Integer> idsByVersion(String subject) {
        Map<Integer, Integer> ids = new LinkedHashMap<>();
        JsonNode versions = get("/subjects/%s/versions".formatted(subject));
        if (versions == null) {
            return ids;
        }
        for (JsonNode version : versions) {
            ids.put(version.asInt(), get("/subjects/%s/versions/%d".formatted(subject, version.asInt())).path("id").asInt());
        }
        return ids;
    }

    /** The latest version's schema id; 0 (no schema has it) for a subject nothing registered yet. */
    int latestIdOrNone(String subject) {
        return idsByVersion(subject).values().stream().reduce((first, second) -> second).orElse(0);
    }

    /** The latest version's schema id. */
    int latestId(String subject) {
        return idsByVersion(subject).values().stream().reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException("the registry holds no schema under " + subject));
    }

    /** The answer, or null for 404. */
    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(confluentApi + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return null;
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET %s answered %d: %s".formatted(path, response.statusCode(), response.body()));
            }
            return Api.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("registry unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
