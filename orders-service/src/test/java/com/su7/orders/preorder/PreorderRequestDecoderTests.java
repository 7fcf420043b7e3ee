package com.su7.orders.preorder;

import com.su7.contract.Topics;
import com.su7.messaging.inbox.PermanentEventException;
import jakarta.validation.Validation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreorderRequestDecoderTests {

    private final PreorderRequestDecoder decoder =
            new PreorderRequestDecoder(new PreorderValidation(Validation.buildDefaultValidatorFactory().getValidator()));

    private AppPreorderRequest decode(String json) {
        return decoder.decode(new ConsumerRecord<>(Topics.PREORDER_REQUESTS, 0, 0, "key",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8)));
    }

    private static final String VALID = """
            {"requestId": "0b6f3c1e-6a63-4c53-9d4b-5d3f0f4f7a10", "customerId": "c-1", "variant": "SU7_PRO",
             "exteriorColor": "Olivine Grey", "deliveryCity": "XIAN", "deposit": 5000.10, "channel": "APP",
             "requestedAt": "2026-05-09T08:30:00+08:00"}""";

    @Test
    void decodesAValidRequestWithAnExactDeposit() {
        AppPreorderRequest request = decode(VALID);

        assertThat(request.requestId()).isEqualTo("0b6f3c1e-6a63-4c53-9d4b-5d3f0f4f7a10");
        assertThat(request.request().deposit()).isEqualTo(new BigDecimal("5000.10"));
        assertThat(request.requestedAt()).isEqualTo(Instant.parse("2026-05-09T00:30:00Z"));
        assertThat(request.requestHash()).isEqualTo(Preorder.hashOf(request.request(), "Xi'an"));
        assertThat(request.eventId()).startsWith(request.requestId() + ":");
    }

    @Test
    void decodesTheOptionalInteriorAndWheelsAndARequestWithoutThemHashesAsBefore() {
        AppPreorderRequest without = decode(VALID);
        AppPreorderRequest with = decode(VALID.replace("\"channel\": \"APP\",",
                "\"channel\": \"APP\", \"interior\": \"Obsidian Black\", \"wheels\": \"20-inch Forged\","));

        assertThat(without.request().interior()).isNull();
        assertThat(with.request().interior()).isEqualTo("Obsidian Black");
        assertThat(with.request().wheels()).isEqualTo("20-inch Forged");
        assertThat(with.eventId()).isNotEqualTo(without.eventId());
        // Release v0.1.0's hash of this request, so its replays still meet the preorder it placed.
        assertThat(without.requestHash()).isEqualTo(HexFormat.of().formatHex(sha256(String.join("\u001f",
                "c-1", "SU7_PRO", "Olivine Grey", "Xi'an", "5000.10", "APP"))));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSameRequestIdWithADifferentOrderHasADifferentEventId() {
        AppPreorderRequest first = decode(VALID);
        AppPreorderRequest other = decode(VALID.replace("Olivine Grey", "Aqua Blue"));

        assertThat(other.requestId()).isEqualTo(first.requestId());
        assertThat(other.eventId()).isNotEqualTo(first.eventId());
    }

    @Test
    void listsEverySchemaViolation() {
        String json = """
                {"requestId": "nope", "customerId": "", "variant": "SU8", "exteriorColor": "Grey",
                 "deposit": 0.001, "channel": "APP", "coupon": "FREE"}""";

        assertThatThrownBy(() -> decode(json)).isInstanceOf(PermanentEventException.class)
                .message().startsWith("invalid preorder request: ")
                .contains("requestId: ", "customerId: ", "variant: ", "deposit: ", "deliveryCity: ", "coupon: ");
    }

    @Test
    void appliesTheRulesOfTheRestApiToo() {
        String json = VALID.replace("XIAN", "Atlantis").replace("\"c-1\"", "\"  \"");

        assertThatThrownBy(() -> decode(json)).isInstanceOf(PermanentEventException.class)
                .hasMessageContaining("customerId: must not be blank")
                .hasMessageContaining("deliveryCity: we do not deliver to 'Atlantis'");
    }

    @Test
    void refusesWhatIsNotJsonOrNothing() {
        assertThatThrownBy(() -> decode("{nope")).isInstanceOf(PermanentEventException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> decode(null)).isInstanceOf(PermanentEventException.class).hasMessageContaining("no value");
        assertThatThrownBy(() -> decode("[]")).isInstanceOf(PermanentEventException.class).hasMessageContaining("invalid preorder request");
    }
}
