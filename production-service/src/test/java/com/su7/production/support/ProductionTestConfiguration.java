package com.su7.production.support;

import com.su7.messaging.CalendarProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.time.Duration;

/** The one test configuration all integration tests share (one Spring context): the hand-moved clock. */
@TestConfiguration(proxyBeanMethods = false)
public class ProductionTestConfiguration {

    /** Starts a minute into the launch day; the messaging module's clock steps back for it. */
    @Bean
    TestClock testClock(CalendarProperties calendar) {
        return new TestClock(calendar.firstDayStartsAt().plus(Duration.ofMinutes(1)));
    }
}
