package com.su7.simulation;

import com.su7.contract.FactoryCalendar;
import com.su7.events.EtaChangeCause;
import com.su7.events.EtaChanged;
import com.su7.events.EtaDirection;
import com.su7.events.PreorderStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static com.su7.simulation.EtaChanges.T0;
import static com.su7.simulation.EtaChanges.event;
import static com.su7.simulation.EtaChanges.may;
import static org.assertj.core.api.Assertions.assertThat;

class NotificationsTests {

    private final Notifications notifications = new Notifications(
            new PushPolicy(new FactoryCalendar(LocalDate.of(2026, 3, 28), T0, Duration.ofDays(1))));

    private static final EtaChanged PLACED = event("p1", "c1", 1, EtaDirection.FIRST, EtaChangeCause.PLACED,
            PreorderStatus.PLACED, may(13), may(20));
    private static final EtaChanged EARLIER = event("p1", "c1", 2, EtaDirection.EARLIER, EtaChangeCause.RATE_CHANGED,
            PreorderStatus.PLACED, may(8), may(15));

    @Test
    void aChangeDeliveredTwiceIsHandledOnceByItsEventId() {
        Instant now = T0.plusSeconds(60);
        notifications.on(PLACED, T0, now);
        notifications.on(EARLIER, T0, now);
        // a redelivery after a rebalance, or the outbox relay sending the same row again: the same eventId
        notifications.on(EARLIER, T0.plusSeconds(5), now.plusSeconds(5));
        notifications.on(event("p1", "c1", 1, EtaDirection.FIRST, EtaChangeCause.PLACED, PreorderStatus.PLACED, may(13), may(20)),
                T0, now.plusSeconds(6));

        assertThat(notifications.received()).extracting(EtaNotice::revision).containsExactly(1, 2);
        assertThat(notifications.pushed()).hasSize(2);
        assertThat(notifications.duplicates()).isEqualTo(2);
    }

    @Test
    void keepsWhenEachChangeWasOnTheTopic() {
        notifications.on(PLACED, T0.plusMillis(1_250), T0.plusSeconds(2));

        assertThat(notifications.received()).singleElement().satisfies(notice -> {
            assertThat(notice.onTopicAt()).isEqualTo(T0.plusMillis(1_250));
            assertThat(notice.latest()).isEqualTo(may(20));
            assertThat(notice.customerId()).isEqualTo("c1");
        });
    }

    @Test
    void sendsTheHeldChangesOnceTheCustomersNextFactoryDayBegins() {
        notifications.on(PLACED, T0, T0.plusSeconds(60));
        notifications.on(EARLIER, T0, T0.plusSeconds(61));
        notifications.on(event("p1", "c1", 3, EtaDirection.EARLIER, EtaChangeCause.RATE_CHANGED, PreorderStatus.PLACED,
                may(5), may(12)), T0, T0.plusSeconds(62));
        assertThat(notifications.held()).isEqualTo(1);

        notifications.tick(T0.plus(Duration.ofDays(1)));

        assertThat(notifications.pushed()).hasSize(3);
        assertThat(notifications.held()).isZero();
        assertThat(notifications.preordersToldEarlier()).isEqualTo(1);
    }
}
