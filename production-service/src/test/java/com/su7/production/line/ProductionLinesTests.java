package com.su7.production.line;

import com.su7.production.queue.QueueEtaProjection;
import com.su7.production.shared.ProductionDays;
import com.su7.production.shared.ProductionProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

class ProductionLinesTests {

    static final LocalDate DAY = LocalDate.of(2026, 4, 1);

    final DayBuilder builder = mock(DayBuilder.class);
    final QueueEtaProjection projection = mock(QueueEtaProjection.class);
    final ProductionDays days = mock(ProductionDays.class);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void buildsEveryEndedDayInOneLookAtTheClockAndCountsTheUnits() {
        when(builder.buildNextEndedDay()).thenReturn(
                Optional.of(new DayBuilder.BuiltDay(DAY, DAY, 300, 300)),
                Optional.of(new DayBuilder.BuiltDay(DAY.plusDays(1), DAY.plusDays(1), 300, 120)),
                Optional.empty());
        lines(true).tick();

        verify(builder, times(3)).buildNextEndedDay();
        assertThat(meters.get("su7.production.units.built").tag("source", "line").counter().count()).isEqualTo(420);
        verifyNoInteractions(projection);
    }

    @Test
    void withTheSimulationOffItOnlyReprojectsTheQueueOncePerFactoryDay() {
        when(days.today()).thenReturn(DAY, DAY, DAY.plusDays(1));
        ProductionLines lines = lines(false);
        lines.tick();
        lines.tick();
        lines.tick();

        verify(projection, times(2)).recomputeAll();
        verify(builder, never()).buildNextEndedDay();
    }

    @Test
    void aFailedDayIsLeftForTheNextLook() {
        when(builder.buildNextEndedDay()).thenThrow(new IllegalStateException("database away"))
                .thenReturn(Optional.of(new DayBuilder.BuiltDay(DAY, DAY, 5, 5)), Optional.empty());
        ProductionLines lines = lines(true);
        assertThatIllegalStateException().isThrownBy(lines::tick);
        lines.tick();
        verify(builder, times(3)).buildNextEndedDay();
        assertThat(meters.get("su7.production.units.built").tag("source", "line").counter().count()).isEqualTo(5);
    }

    @Test
    void aLookThatFailsEvenWithAnErrorIsFollowedByTheNextOnSchedule() {
        when(builder.buildNextEndedDay()).thenThrow(new StackOverflowError("a day that recursed"))
                .thenReturn(Optional.of(new DayBuilder.BuiltDay(DAY, DAY, 5, 5)), Optional.empty());
        ProductionLines lines = lines(true, Duration.ofMillis(5));
        lines.start();
        try {
            verify(builder, timeout(30_000).atLeast(3)).buildNextEndedDay();
        } finally {
            lines.stop();
        }
        assertThat(meters.get("su7.production.units.built").tag("source", "line").counter().count()).isEqualTo(5);
    }

    private ProductionLines lines(boolean enabled) {
        return lines(enabled, Duration.ofHours(1));
    }

    private ProductionLines lines(boolean enabled, Duration pollInterval) {
        ProductionProperties properties = new ProductionProperties("Beijing Yizhuang",
                new ProductionProperties.Lines(enabled, pollInterval),
                new ProductionProperties.VinSettings("LSU", "B"), new ProductionProperties.Eta(3, 3660, Duration.ofMillis(200)));
        return new ProductionLines(builder, projection, days, properties, meters);
    }
}
