package com.su7.production.line;

import com.su7.contract.Topics;
import com.su7.events.Variant;
import com.su7.production.support.IntegrationTestBase;
import com.su7.production.support.TestEvents;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.su7.production.support.Plant.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The factory feed: a real plant reports the units it built. */
@SuppressWarnings({"unchecked", "rawtypes"})
class UnitReportIntegrationTests extends IntegrationTestBase {

    @Test
    void aReportedUnitIsBuiltOnceAndReportingItAgainIsTheSameUnit() {
        UUID id = queued();
        ResponseEntity<Map> first = report(Map.of("preorderId", id.toString()));
        assertThat(first.getStatusCode().value()).isEqualTo(201);
        assertThat(first.getHeaders().getLocation()).hasPath("/api/production/preorders/" + id);
        String vin = (String) first.getBody().get("vin");
        assertThat(Vin.problemWith(vin)).isNull();
        assertThat(first.getBody()).containsEntry("plant", "Beijing Yizhuang").containsEntry("variant", "SU7_PRO");

        ResponseEntity<Map> again = report(Map.of("preorderId", id.toString()));
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(again.getBody()).containsEntry("vin", vin);
        assertThat(report(Map.of("preorderId", id.toString(), "vin", vin)).getStatusCode().value()).isEqualTo(200);
        assertThat(plant.preorder(id)).containsEntry("status", "BUILT").containsEntry("vin", vin);

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> !probe.recordsWithKey(Topics.UNIT_BUILT, id.toString()).isEmpty());
        assertThat(probe.recordsWithKey(Topics.UNIT_BUILT, id.toString())).as("one UnitBuilt for three reports").hasSize(1);
    }

    @Test
    void aUnitReportedWithItsOwnVinKeepsItAndAnotherVinForItIsAConflict() {
        UUID id = queued();
        String vin = Vin.assemble("LSU", "S7PEV", 2026, "B", 900_001).value();
        ResponseEntity<Map> first = report(Map.of("preorderId", id.toString(), "vin", vin, "builtAt", plant.now().toString(), "plant", "Beijing Yizhuang II"));
        assertThat(first.getStatusCode().value()).isEqualTo(201);
        assertThat(first.getBody()).containsEntry("vin", vin).containsEntry("plant", "Beijing Yizhuang II")
                .containsEntry("builtOn", plant.today().toString());

        String other = Vin.assemble("LSU", "S7PEV", 2026, "B", 900_002).value();
        ResponseEntity<Map> conflict = report(Map.of("preorderId", id.toString(), "vin", other));
        assertThat(conflict.getStatusCode().value()).isEqualTo(409);
        assertThat((String) conflict.getBody().get("detail")).contains(vin, other);
        assertThat(conflict.getBody()).containsEntry("type", "urn:su7:problem:unit-conflict");

        UUID second = queued();
        ResponseEntity<Map> taken = report(Map.of("preorderId", second.toString(), "vin", vin));
        assertThat(taken.getStatusCode().value()).as("the VIN belongs to another preorder").isEqualTo(409);
        assertThat(plant.preorder(second)).containsEntry("status", "QUEUED");
    }

    @Test
    void anUnknownPreorderIs404AndABadVinIs400NamingTheField() {
        ResponseEntity<Map> unknown = report(Map.of("preorderId", UUID.randomUUID().toString()));
        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        assertThat(unknown.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);

        String valid = Vin.assemble("LSU", "S7MEV", 2026, "B", 4711).value();
        String wrongCheckDigit = valid.substring(0, 8) + (valid.charAt(8) == '1' ? '2' : '1') + valid.substring(9);
        ResponseEntity<Map> invalid = report(Map.of("preorderId", UUID.randomUUID().toString(), "vin", wrongCheckDigit));
        assertThat(invalid.getStatusCode().value()).isEqualTo(400);
        assertThat((List<?>) invalid.getBody().get("errors")).singleElement()
                .satisfies(error -> assertThat((Map<String, Object>) error).containsEntry("field", "vin"));
        assertThat(report(Map.of()).getStatusCode().value()).as("no preorder id").isEqualTo(400);
        assertThat(plant.http().get().uri("/api/production/preorders/{id}", UUID.randomUUID()).retrieve().toEntity(Map.class)
                .getStatusCode().value()).isEqualTo(404);
    }

    private UUID queued() {
        UUID id = UUID.randomUUID();
        plant.publish(TestEvents.preorderPlaced(id, Variant.SU7_PRO, "Hangzhou", plant.now()));
        plant.awaitQueued(List.of(id));
        return id;
    }

    private ResponseEntity<Map> report(Map<String, Object> body) {
        return plant.http().post().uri("/api/production/units").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(Map.class);
    }
}
