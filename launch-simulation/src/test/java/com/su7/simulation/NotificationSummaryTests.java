package com.su7.simulation;

import com.su7.events.EtaChangeCause;
import com.su7.events.EtaDirection;
import com.su7.events.PreorderStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.su7.simulation.EtaChanges.T0;
import static com.su7.simulation.EtaChanges.may;
import static com.su7.simulation.EtaChanges.notice;
import static com.su7.simulation.EtaChanges.placed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class NotificationSummaryTests {

    private static Push push(String customerId, Push.Told... told) {
        return new Push(customerId, T0, List.of(told));
    }

    private static Push.Told told(String preorderId, Push.Kind kind, int latestInMay) {
        return new Push.Told(preorderId, kind, EtaChangeCause.RATE_CHANGED, null, may(latestInMay).minusDays(7), may(latestInMay),
                PreorderStatus.PLACED);
    }

    @Test
    void countsPushesPerCustomerWithoutConfirmationsAndWithTheCustomersNeverPushed() {
        Map<String, String> run = Map.of("p1", "c1", "p2", "c2", "p3", "c3");
        List<Push> pushed = List.of(
                push("c1", told("p1", Push.Kind.PLACED, 20)), push("c2", told("p2", Push.Kind.PLACED, 20)),
                push("c3", told("p3", Push.Kind.PLACED, 20)),
                push("c1", told("p1", Push.Kind.EARLIER, 15)), push("c1", told("p1", Push.Kind.LATER, 17)),
                push("c1", told("p1", Push.Kind.STATUS, 17)), push("c2", told("p2", Push.Kind.EARLIER, 19)),
                push("c3", told("p3", Push.Kind.CANCELLED, 20)));

        NotificationSummary summary = NotificationSummary.of(List.of(), pushed, run, 0, 0);

        assertThat(summary.placementConfirmations()).isEqualTo(3);
        assertThat(summary.cancellationConfirmations()).isEqualTo(1);
        assertThat(summary.pushes()).isEqualTo(4);
        // c1: 3, c2: 1, c3: 0
        assertThat(summary.pushesPerCustomer().getTotalCount()).isEqualTo(3);
        assertThat(summary.pushesPerCustomer().getValueAtPercentile(50)).isEqualTo(1);
        assertThat(summary.pushesPerCustomer().getValueAtPercentile(99)).isEqualTo(3);
        assertThat(summary.pushesPerCustomer().getMaxValue()).isEqualTo(3);
        assertThat(summary.laterPushes()).isEqualTo(1);
        assertThat(summary.laterByCause()).containsExactly(entry(EtaChangeCause.RATE_CHANGED, 1L));
        // c1 was last told May 17 against May 20 confirmed, c2 May 19: both earlier; c3 was never told another date
        assertThat(summary.customersToldEarlier()).isEqualTo(2);
        assertThat(summary.daysEarlier().getMaxValue()).isEqualTo(3);
    }

    @Test
    void daysEarlierArePercentilesOverTheCustomersToldEarlier() {
        Map<String, String> run = new HashMap<>();
        List<Push> pushed = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            run.put("p" + i, "c" + i);
            pushed.add(push("c" + i, new Push.Told("p" + i, Push.Kind.PLACED, EtaChangeCause.PLACED, null, may(1), may(1).plusDays(100),
                    PreorderStatus.PLACED)));
            pushed.add(push("c" + i, new Push.Told("p" + i, Push.Kind.EARLIER, EtaChangeCause.RATE_CHANGED, may(1).plusDays(100), may(1),
                    may(1).plusDays(100 - i), PreorderStatus.PLACED)));
        }

        NotificationSummary summary = NotificationSummary.of(List.of(), pushed, run, 0, 0);

        assertThat(summary.customersToldEarlier()).isEqualTo(100);
        assertThat(summary.daysEarlier().getValueAtPercentile(50)).isEqualTo(50);
        assertThat(summary.daysEarlier().getValueAtPercentile(95)).isEqualTo(95);
        assertThat(summary.daysEarlier().getMaxValue()).isEqualTo(100);
        assertThat(summary.pushesPerCustomer().getValueAtPercentile(99)).isEqualTo(1);
    }

    @Test
    void leavesOutPreordersOfEarlierRunsAndCountsCustomersMovedEarlierByACancellationAhead() {
        Map<String, String> run = Map.of("p1", "c1", "p2", "c2");
        List<EtaNotice> received = List.of(placed("p1", "c1", may(20)), placed("p2", "c2", may(20)), placed("old", "c1", may(2)),
                notice("p1", "c1", 2, EtaDirection.EARLIER, EtaChangeCause.CANCELLATION_AHEAD, PreorderStatus.PLACED, may(10), may(17), T0),
                notice("p2", "c2", 2, EtaDirection.SAME_DATES, EtaChangeCause.CANCELLATION_AHEAD, PreorderStatus.PLACED, may(13), may(20), T0),
                notice("old", "c1", 2, EtaDirection.EARLIER, EtaChangeCause.CANCELLATION_AHEAD, PreorderStatus.PLACED, may(1), may(1), T0));
        List<Push> pushed = List.of(push("c1", told("p1", Push.Kind.PLACED, 20)), push("c1", told("old", Push.Kind.EARLIER, 1)),
                push("c1", told("old", Push.Kind.EARLIER, 1)));

        NotificationSummary summary = NotificationSummary.of(received, pushed, run, 4, 7);

        assertThat(summary.changes()).isEqualTo(4);
        assertThat(summary.customersMovedEarlierByCancellation()).isEqualTo(1);
        assertThat(summary.pushes()).isZero();
        assertThat(summary.duplicates()).isEqualTo(4);
        assertThat(summary.heldAtEnd()).isEqualTo(7);
        assertThat(summary.toJson().path("pushesPerCustomer").path("max").asLong()).isZero();
    }
}
