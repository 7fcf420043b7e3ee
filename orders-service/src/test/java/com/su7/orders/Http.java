package com.su7.orders;

import com.su7.localstack.HttpClientCredentials;
import com.su7.testsupport.AsClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A plain HTTP client for the tests: any status, the body as JSON, as one of the local stack's HTTP clients. */
public final class Http {

    public record Response(int status, HttpHeaders headers, JsonNode body) {

        public String contentType() {
            return headers.getFirst(HttpHeaders.CONTENT_TYPE);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RestClient client;

    /** As the car app's backend (role APP), the preorder API's client. */
    public Http(int port) {
        this(port, HttpClientCredentials.APP);
    }

    /** As the given client ({@link HttpClientCredentials#OPS}, {@link HttpClientCredentials#APP}). */
    public Http(int port, String client) {
        this.client = AsClient.restClient(port, client).build();
    }

    public Response post(String path, String idempotencyKey, Map<String, ?> body) {
        return post(path, idempotencyKey, JSON.writeValueAsString(body));
    }

    /** With headers of the caller's own (a correlation id, a traceparent). */
    public Response post(String path, String idempotencyKey, Map<String, ?> body, Map<String, String> headers) {
        return post(path, idempotencyKey, JSON.writeValueAsString(body), headers);
    }

    public Response post(String path, String idempotencyKey, String body) {
        return post(path, idempotencyKey, body, Map.of());
    }

    private Response post(String path, String idempotencyKey, String body, Map<String, String> headers) {
        RestClient.RequestBodySpec request = client.post().uri(path).contentType(MediaType.APPLICATION_JSON);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        headers.forEach(request::header);
        return request.body(body).exchange((req, res) -> response(res.getStatusCode().value(), res.getHeaders(), res.getBody().readAllBytes()));
    }

    public Response get(String path) {
        return client.get().uri(path).exchange((req, res) -> response(res.getStatusCode().value(), res.getHeaders(), res.getBody().readAllBytes()));
    }

    /** Places a preorder through the REST API (asserting 201) and returns its id. */
    public String placePreorder(String variant, String city) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerId", "customer-" + UUID.randomUUID());
        body.put("variant", variant);
        body.put("exteriorColor", "Pearl White");
        body.put("deliveryCity", city);
        body.put("deposit", 5000);
        body.put("channel", "APP");
        Response placed = post("/api/preorders", UUID.randomUUID().toString(), body);
        assertThat(placed.status()).as("placing: %s", placed.body()).isEqualTo(201);
        return placed.body().get("id").asString();
    }

    /** A preorder as the customer sees it (asserting 200). */
    public JsonNode preorder(String id) {
        Response response = get("/api/preorders/" + id);
        assertThat(response.status()).as("preorder %s: %s", id, response.body()).isEqualTo(200);
        return response.body();
    }

    private static Response response(int status, HttpHeaders headers, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return new Response(status, headers, text.isBlank() ? JSON.nullNode() : JSON.readTree(text));
    }
}
