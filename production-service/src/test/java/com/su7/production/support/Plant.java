package com.su7.production.support;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.Topics;
import com.su7.events.PreorderCancelled;
import com.su7.events.PreorderPlaced;
import com.su7.events.Variant;
import com.su7.localstack.HttpClientCredentials;
import com.su7.testsupport.AsClient;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.client.RestClient;

import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Drives the service the way the tests need: moves the clock, feeds events, changes the plan, reads state. */
public final class Plant {

    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private final JdbcTemplate jdbc;
    private final TestClock clock;
    private final FactoryCalendar calendar;
    private final KafkaTemplate<String, Object> kafka;
    private final RestClient http;

    public Plant(JdbcTemplate jdbc, TestClock clock, FactoryCalendar calendar, KafkaTemplate<String, Object> kafka, int port) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.calendar = calendar;
        this.kafka = kafka;
        // As ops: every production endpoint is an ops endpoint.
        this.http = AsClient.restClient(port, HttpClientCredentials.OPS)
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }

    public RestClient http() {
        return http;
    }

    public Instant now() {
        return clock.instant();
    }

    public LocalDate today() {
        return calendar.today(clock);
    }

    /** Lets the lines start (they mark the day before their first as built). */
    public void awaitLinesRunning() {
        await().atMost(PATIENCE).until(() -> lastBuiltDate() != null);
    }

    /** Ends today: the clock moves one factory day on, and the lines build the day that ended. */
    public LocalDate endDay() {
        awaitLinesRunning();
        LocalDate ending = today();
        clock.advance(calendar.dayLength());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(lastBuiltDate()).isEqualTo(ending));
        return ending;
    }

    public void moveClock(Duration duration) {
        clock.advance(duration);
    }

    public Duration dayLength() {
        return calendar.dayLength();
    }

    public LocalDate lastBuiltDate() {
        Date date = jdbc.queryForObject("select last_built_date from production_line", Date.class);
        return date == null ? null : date.toLocalDate();
    }

    /**
     * Builds everything queued so far (and waiting in Kafka), so a test starts with an empty queue. A spare unit left
     * by an earlier test would go to the next preorder of its variant: none may be left.
     */
    public void drainQueue() {
        changePlan(today(), List.of(Map.of("from", today().toString(), "unitsPerDay", 100_000)));
        endDay();
        assertThat(queueLength()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from spare_unit", Long.class)).as("spare units left by an earlier test").isZero();
    }

    public void changePlan(LocalDate from, List<Map<String, Object>> periods) {
        var response = http.put().uri("/api/production/capacity-plan").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("from", from.toString(), "periods", periods, "changedBy", "tests", "reason", "test plan"))
                .retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
    }

    /** The customer cancels: a PreorderCancelled as orders-service publishes it. */
    public PreorderCancelled cancel(UUID id, Variant variant) {
        PreorderCancelled cancelled = TestEvents.preorderCancelled(id, variant, now());
        send(Topics.PREORDER_CANCELLED, id.toString(), cancelled);
        return cancelled;
    }

    public void awaitStatus(UUID id, String status) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(preorder(id)).containsEntry("status", status));
    }

    public void publish(PreorderPlaced... events) {
        for (PreorderPlaced event : events) {
            send(Topics.PREORDER_PLACED, event.getPreorderId(), event);
        }
    }

    public void send(String topic, String key, Object event) {
        try {
            kafka.send(topic, key, event).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public void awaitQueued(Collection<UUID> ids) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from production_queue where preorder_id = any(?) and estimated_build_date is not null",
                Integer.class, (Object) ids.toArray(UUID[]::new))).isEqualTo(ids.size()));
    }

    public long queueLength() {
        return jdbc.queryForObject("select count(*) from production_queue where status = 'QUEUED'", Long.class);
    }

    public int builtOn(LocalDate day) {
        return jdbc.queryForObject("select count(*) from production_queue where built_on = ?", Integer.class, Date.valueOf(day));
    }

    /** Which of the ids were built on the day. */
    public List<UUID> builtOn(LocalDate day, Collection<UUID> ids) {
        return jdbc.queryForList("select preorder_id from production_queue where built_on = ? and preorder_id = any(?) order by placed_at, preorder_id",
                UUID.class, Date.valueOf(day), ids.toArray(UUID[]::new));
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> preorder(UUID id) {
        return http.get().uri("/api/production/preorders/{id}", id).retrieve().body(Map.class);
    }
}
