package com.su7.messaging.registry;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The few calls of the registry's Confluent-compatible API this project needs. Written against the
 * Confluent API on purpose: that API, not Apicurio's own, is the contract outside tools rely on. Anonymous, or as a
 * client of the authorization server where the registry checks writes ({@link RegistryClientProperties}).
 */
public final class ConfluentRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI api;
    private final Optional<String> authorization;
    private final HttpClient http;

    public ConfluentRegistryClient(URI confluentApi) {
        this(confluentApi, RegistryClientProperties.ANONYMOUS);
    }

    public ConfluentRegistryClient(URI confluentApi, RegistryClientProperties client) {
        this.api = confluentApi;
        this.authorization = client.authorization();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Registers the schema under the subject (or finds it there already) and returns its global schema id. */
    public int register(String subject, String schema) {
        JsonNode body = send("POST", "/subjects/%s/versions".formatted(subject), Map.of("schema", schema));
        return body.get("id").asInt();
    }

    /** Whether the schema could be registered under the subject without breaking its compatibility rule. */
    public boolean isCompatible(String subject, String schema) {
        JsonNode body = send("POST", "/compatibility/subjects/%s/versions/latest".formatted(subject), Map.of("schema", schema));
        return body.get("is_compatible").asBoolean();
    }

    public void setCompatibility(String subject, String level) {
        send("PUT", "/config/" + subject, Map.of("compatibility", level));
    }

    public Optional<String> compatibility(String subject) {
        try {
            return Optional.of(send("GET", "/config/" + subject, null).get("compatibilityLevel").asString());
        } catch (RegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public boolean subjectExists(String subject) {
        try {
            send("GET", "/subjects/%s/versions".formatted(subject), null);
            return true;
        } catch (RegistryException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** A version registered under a subject: its global schema id and its text. */
    public record Registered(int version, int id, String schema) {
    }

    /** Every version registered under the subject, oldest first; none if the subject does not exist. */
    public List<Registered> versions(String subject) {
        JsonNode versions;
        try {
            versions = send("GET", "/subjects/%s/versions".formatted(subject), null);
        } catch (RegistryException e) {
            if (e.status() == 404) {
                return List.of();
            }
            throw e;
        }
        List<Registered> registered = new ArrayList<>();
        for (JsonNode version : versions) {
            JsonNode body = send("GET", "/subjects/%s/versions/%d".formatted(subject, version.asInt()), null);
            registered.add(new Registered(version.asInt(), body.get("id").asInt(), body.get("schema").asString()));
        }
        return registered;
    }

    /** The registry-wide default compatibility: a cheap call that proves the registry answers. */
    public String globalCompatibility() {
        return send("GET", "/config", null).get("compatibilityLevel").asString();
    }

    /** The schema text with this id, as a Confluent-wire-format reader looks it up. */
    public String schemaById(int id) {
        return send("GET", "/schemas/ids/" + id, null).get("schema").asString();
    }

    private JsonNode send(String method, String path, Object body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE + ", application/json")
                .method(method, publisher);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new RegistryException(response.statusCode(), "%s %s answered %d: %s"
                        .formatted(method, request.uri(), response.statusCode(), response.body()));
            }
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("schema registry at %s is unreachable: %s".formatted(api, e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the schema registry", e);
        }
    }

    /** The registry answered with an error status. */
    public static final class RegistryException extends RuntimeException {

        private final int status;

        RegistryException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
