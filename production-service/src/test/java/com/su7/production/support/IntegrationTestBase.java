package com.su7.production.support;

import com.su7.contract.FactoryCalendar;
import com.su7.testsupport.KafkaProbe;
import com.su7.testsupport.SharedLocalStack;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

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

    protected Plant plant;
    protected KafkaProbe probe;

    @BeforeEach
    void plant() {
        plant = new Plant(jdbc, clock, calendar, kafka, port);
        probe = new KafkaProbe(SharedLocalStack.get());
    }
}
