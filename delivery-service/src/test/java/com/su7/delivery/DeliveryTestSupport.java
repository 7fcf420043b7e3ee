package com.su7.delivery;

import com.su7.contract.DeliveryCities;
import com.su7.contract.Topics;
import com.su7.events.DeliveryScheduled;
import com.su7.messaging.MessagingProperties;
import com.su7.messaging.kafka.KafkaClientSettings;
import com.su7.localstack.HttpClientCredentials;
import com.su7.testsupport.KafkaProbe;
import com.su7.testsupport.AsClient;
import com.su7.testsupport.SharedLocalStack;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the integration tests share: the topic read as an outside consumer would, HTTP calls, test centres. */
public final class DeliveryTestSupport {

    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DeliveryTestSupport() {
    }

    /** Every DeliveryScheduled published for the preorder, in order, decoded with the Avro deserializer through the registry. */
    public static List<DeliveryScheduled> scheduledEvents(MessagingProperties properties, String preorderId) {
        return scheduledEvents(properties, java.util.Set.of(preorderId)).getOrDefault(preorderId, List.of());
    }

    /** The same for many preorders, reading the topic once. */
    public static Map<String, List<DeliveryScheduled>> scheduledEvents(MessagingProperties properties, java.util.Set<String> preorderIds) {
        Map<String, List<DeliveryScheduled>> events = new java.util.HashMap<>();
        try (AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>()) {
            deserializer.configure(KafkaClientSettings.avroDeserializer(properties), false);
            for (ConsumerRecord<String, byte[]> record : recordsWithKeys(Topics.DELIVERY_SCHEDULED, preorderIds)) {
                events.computeIfAbsent(record.key(), key -> new ArrayList<>())
                        .add((DeliveryScheduled) deserializer.deserialize(record.topic(), record.headers(), record.value()));
            }
        }
        return events;
    }

    /** Every record of the topic with this key, from the beginning. */
    public static List<ConsumerRecord<String, byte[]>> recordsWithKey(String topic, String key) {
        return recordsWithKeys(topic, java.util.Set.of(key));
    }

    /** Every record of the topic with one of these keys, from the beginning, in order per key. */
    public static List<ConsumerRecord<String, byte[]>> recordsWithKeys(String topic, java.util.Set<String> keys) {
        return new KafkaProbe(SharedLocalStack.get()).records(topic, record -> keys.contains(record.key()));
    }

    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        return KafkaProbe.header(record, name);
    }

    /** A centre of the tests' own, so no other test books its slots. */
    public static String createCenter(JdbcTemplate jdbc, int dailyCapacity, int transitDays) {
        String city = TestEvents.city();
        jdbc.update("insert into center (city, city_key, name, transit_days, daily_capacity) values (?, ?, ?, ?, ?)",
                city, DeliveryCities.keyOf(city), city + " Delivery Center", transitDays, dailyCapacity);
        return city;
    }

    public record Response(int status, String contentType, JsonNode body) {
    }

    public static Response get(int port, String path, Object... uriVariables) {
        return exchange(client(port).get().uri(path, uriVariables));
    }

    public static Response put(int port, String json, String path, Object... uriVariables) {
        return exchange(client(port).put().uri(path, uriVariables).contentType(MediaType.APPLICATION_JSON).body(json));
    }

    public static Response post(int port, String json, String path, Object... uriVariables) {
        return exchange(client(port).post().uri(path, uriVariables).contentType(MediaType.APPLICATION_JSON).body(json));
    }

    private static Response exchange(RestClient.RequestHeadersSpec<?> request) {
        return request.exchange((req, res) -> {
            String body = new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8);
            HttpStatusCode status = res.getStatusCode();
            MediaType type = res.getHeaders().getContentType();
            return new Response(status.value(), type == null ? null : type.toString(), body.isBlank() ? null : JSON.readTree(body));
        });
    }

    /** As ops: every delivery endpoint is an ops endpoint. */
    public static RestClient client(int port) {
        return AsClient.restClient(port, HttpClientCredentials.OPS).build();
    }
}
