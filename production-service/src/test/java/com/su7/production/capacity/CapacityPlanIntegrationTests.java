package com.su7.production.capacity;

import com.su7.production.support.IntegrationTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings({"unchecked", "rawtypes"})
class CapacityPlanIntegrationTests extends IntegrationTestBase {

    @Test
    void theDefaultPlanRampsANewPlantUpAndEveryChangeRecordsWhoWhenAndWhy() {
        Map<String, Object> seed = jdbc.queryForMap("select changed_by, reason, periods::text from capacity_plan_change order by id limit 1");
        assertThat(seed).containsEntry("changed_by", "migration V2");
        assertThat((String) seed.get("periods")).contains("\"unitsPerDay\": 300", "\"unitsPerDay\": 1200");

        LocalDate from = plant.today().plusDays(10);
        ResponseEntity<Map> changed = put(Map.of("from", from.toString(),
                "periods", List.of(Map.of("from", from.toString(), "unitsPerDay", 1500)),
                "changedBy", "ops@plant", "reason", "third shift"));
        assertThat(changed.getStatusCode().value()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> periods = (List<Map<String, Object>>) changed.getBody().get("periods");
        assertThat(periods.getLast()).containsEntry("from", from.toString()).containsEntry("unitsPerDay", 1500).containsEntry("to", null);
        assertThat(periods.get(periods.size() - 2)).containsEntry("to", from.toString());
        Map<String, Object> latest = (Map<String, Object>) ((List<?>) get().get("changes")).getFirst();
        assertThat(latest).containsEntry("changedBy", "ops@plant").containsEntry("reason", "third shift")
                .containsEntry("effectiveFrom", from.toString()).containsKey("changedAt");
        assertThat((List<?>) latest.get("previous")).isNotEmpty();
    }

    @Test
    void invalidPlansAreRefusedWithAProblemNamingEachField() {
        LocalDate today = plant.today();
        assertRefused(Map.of("from", today.toString(), "periods", List.of(Map.of("from", today.toString(), "unitsPerDay", -5)),
                "changedBy", "ops", "reason", "typo"), "periods[0].unitsPerDay", "must not be negative");
        assertRefused(Map.of("from", today.toString(), "periods", List.of(
                        Map.of("from", today.toString(), "to", today.plusDays(10).toString(), "unitsPerDay", 5),
                        Map.of("from", today.plusDays(5).toString(), "unitsPerDay", 6)),
                "changedBy", "ops", "reason", "overlap"), "periods[1].from", "overlaps periods[0]");
        assertRefused(Map.of("from", today.toString(), "periods", List.of(
                        Map.of("from", today.toString(), "unitsPerDay", 5),
                        Map.of("from", today.plusDays(5).toString(), "unitsPerDay", 6)),
                "changedBy", "ops", "reason", "two open ends"), "periods[0].to", "only the last period may be open-ended");
        assertRefused(Map.of("from", today.minusDays(1).toString(), "periods", List.of(Map.of("from", today.minusDays(1).toString(), "unitsPerDay", 5)),
                "changedBy", "ops", "reason", "rewrite history"), "from", "already built");
        assertRefused(Map.of("from", today.toString(), "periods", List.of(
                        Map.of("from", today.toString(), "to", today.minusDays(2).toString(), "unitsPerDay", 5)),
                "changedBy", "ops", "reason", "backwards"), "periods[0].to", "must be after from");
        Map<String, Object> missing = new HashMap<>(Map.of("from", today.toString(), "periods", List.of(Map.of("from", today.toString()))));
        assertRefused(missing, "changedBy", "must not be blank");
        assertRefused(missing, "periods[0].unitsPerDay", "must not be null");
    }

    private void assertRefused(Map<String, Object> body, String field, String reason) {
        ResponseEntity<Map> response = put(body);
        assertThat(response.getStatusCode().value()).as(String.valueOf(response.getBody())).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        List<?> errors = (List<?>) response.getBody().get("errors");
        assertThat(errors).as("errors of %s", body).anySatisfy(error -> {
            assertThat((Map<String, Object>) error).containsEntry("field", field);
            assertThat((String) ((Map<String, Object>) error).get("message")).contains(reason);
        });
    }

    private Map<?, ?> get() {
        return plant.http().get().uri("/api/production/capacity-plan").retrieve().body(Map.class);
    }

    private ResponseEntity<Map> put(Map<String, Object> body) {
        return plant.http().put().uri("/api/production/capacity-plan").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(Map.class);
    }
}
