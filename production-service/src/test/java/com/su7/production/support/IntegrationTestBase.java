package com.su7.production.support;

import com.su7.contract.FactoryCalendar;
import com.su7.contract.Topics;
import com.su7.events.UnitBuilt;
import com.su7.messaging.inbox.AvroEventDecoder;
import com.su7.testsupport.KafkaProbe;
import com.su7.testsupport.SharedLocalStack;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static com.su7.production.support.Plant.PATIENCE;
import static org.awaitility.Awaitility.await;

/** What every integration test class gets: the plant driver and a probe of the topics. */
@ProductionIntegrationTest
public abstract class IntegrationTestBase {

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected TestClock clock;
    @Autowired
    protected FactoryCalendar calendar;
    @Autowired
    protected KafkaTemplate<String, Object> kafka;
    @Autowired
    protected AvroEventDecoder avro;

    protected Plant plant;
    protected KafkaProbe probe;

    @BeforeEach
    void plant() {
        plant = new Plant(jdbc, clock, calendar, kafka, port);
        probe = new KafkaProbe(SharedLocalStack.get());
    }

    /** The UnitBuilt events of the preorder on the topic, once there is one. */
    protected List<UnitBuilt> awaitUnitBuilt(UUID id) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> !probe.recordsWithKey(Topics.UNIT_BUILT, id.toString()).isEmpty());
        return unitBuilt(id);
    }

    /** The UnitBuilt events of the preorder on the topic so far. */
    protected List<UnitBuilt> unitBuilt(UUID id) {
        return probe.recordsWithKey(Topics.UNIT_BUILT, id.toString()).stream().map(record -> avro.of(UnitBuilt.class).decode(record)).toList();
    }
}
