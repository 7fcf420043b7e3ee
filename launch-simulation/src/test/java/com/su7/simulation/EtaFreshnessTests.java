package com.su7.simulation;

import com.su7.events.EtaChangeCause;
import com.su7.events.EtaDirection;
import com.su7.events.PreorderStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static com.su7.simulation.EtaChanges.T0;
import static com.su7.simulation.EtaChanges.may;
import static com.su7.simulation.EtaChanges.event;
import static org.assertj.core.api.Assertions.assertThat;

class EtaFreshnessTests {

    private final EtaFreshness freshness = new EtaFreshness();

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    /** A change orders-service made 10 ms before it was on the topic. */
    private static EtaNotice change(String preorderId, EtaChangeCause cause, int dayInMay, long onTopicAtMillis) {
        PreorderStatus status = cause == EtaChangeCause.BUILT ? PreorderStatus.BUILT : PreorderStatus.DELIVERY_SCHEDULED;
        return EtaNotice.of(event(preorderId, "c-" + preorderId, 3, EtaDirection.EARLIER, cause, status, may(dayInMay), may(dayInMay),
                at(onTopicAtMillis - 10)), at(onTopicAtMillis));
    }

    @Test
    void measuresABuiltChangeFromItsUnitBuilt() {
        freshness.unitBuilt("p1", at(1_000));

        EtaFreshness.Measured measured = freshness.measure(List.of(change("p1", EtaChangeCause.BUILT, 10, 1_250)));

        assertThat(measured.millis().getTotalCount()).isEqualTo(1);
        assertThat(measured.millis().getMaxValue()).isEqualTo(250);
        assertThat(measured.relayMillis().getMaxValue()).isEqualTo(10);
        assertThat(measured.unmatched()).isZero();
    }

    @Test
    void measuresAScheduleFromTheDeliveryScheduledOfTheDateItShows() {
        freshness.deliveryScheduled("p1", may(9), at(1_000));
        freshness.deliveryScheduled("p1", may(7), at(5_000));

        EtaFreshness.Measured measured = freshness.measure(List.of(
                change("p1", EtaChangeCause.SCHEDULED, 9, 1_100),
                change("p1", EtaChangeCause.RESCHEDULED, 7, 5_300)));

        assertThat(measured.millis().getTotalCount()).isEqualTo(2);
        assertThat(measured.millis().getMinValue()).isEqualTo(100);
        assertThat(measured.millis().getMaxValue()).isEqualTo(300);
    }

    @Test
    void takesTheLastFactBeforeTheChangeAndNeverOneAfterIt() {
        freshness.deliveryScheduled("p1", may(9), at(1_000));
        freshness.deliveryScheduled("p1", may(9), at(2_000));
        freshness.unitBuilt("p2", at(9_000));

        EtaFreshness.Measured measured = freshness.measure(List.of(
                change("p1", EtaChangeCause.SCHEDULED, 9, 2_040),
                change("p2", EtaChangeCause.BUILT, 12, 8_000)));

        assertThat(measured.millis().getTotalCount()).isEqualTo(1);
        assertThat(measured.millis().getMaxValue()).isEqualTo(40);
        assertThat(measured.unmatched()).isEqualTo(1);
    }

    @Test
    void leavesOutChangesNoFactOnTheseTopicsCaused() {
        EtaFreshness.Measured measured = freshness.measure(List.of(
                change("p1", EtaChangeCause.RATE_CHANGED, 9, 1_000),
                change("p1", EtaChangeCause.CANCELLATION_AHEAD, 8, 2_000),
                change("p1", EtaChangeCause.PLACED, 9, 3_000)));

        assertThat(measured.millis().getTotalCount()).isZero();
        assertThat(measured.unmatched()).isZero();
    }

    @Test
    void givesPercentilesOverEveryMeasuredChange() {
        List<EtaNotice> changes = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            freshness.unitBuilt("p" + i, at(10_000));
            changes.add(change("p" + i, EtaChangeCause.BUILT, 10, 10_000 + i));
        }

        EtaFreshness.Measured measured = freshness.measure(changes);

        assertThat(measured.millis().getValueAtPercentile(50)).isEqualTo(50);
        assertThat(measured.millis().getValueAtPercentile(99)).isEqualTo(99);
        assertThat(measured.millis().getMaxValue()).isEqualTo(100);
    }
}
