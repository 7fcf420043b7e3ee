package com.su7.orders;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tests run on one factory day: from noon in Beijing on 2026-05-10, the clock moves a millisecond each time it is
 * read, so preorders placed one after the other keep their order and every test sees the same "today".
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestClockConfiguration {

    public static final Instant NOW = Instant.parse("2026-05-10T04:00:00Z");

    @Bean
    Clock clock() {
        return new TickingClock();
    }

    static final class TickingClock extends Clock {

        private final AtomicLong ticks = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the test clock runs in UTC");
        }

        @Override
        public Instant instant() {
            return NOW.plusMillis(ticks.incrementAndGet());
        }
    }
}
