package com.su7.simulation;

import com.su7.contract.FactoryCalendar;
import com.su7.events.EtaChangeCause;
import com.su7.events.EtaDirection;
import com.su7.events.PreorderStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static com.su7.simulation.EtaChanges.T0;
import static com.su7.simulation.EtaChanges.may;
import static com.su7.simulation.EtaChanges.notice;
import static com.su7.simulation.EtaChanges.placed;
import static com.su7.simulation.EtaChanges.reestimated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PushPolicyTests {

    /** Factory days of a real day's length, day 0 beginning at T0. */
    private final PushPolicy policy = new PushPolicy(new FactoryCalendar(LocalDate.of(2026, 3, 28), T0, Duration.ofDays(1)));

    private static Instant day(int day, int hour) {
        return T0.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour));
    }

    @Test
    void thePlacementConfirmationGoesAtOnceAndLeavesTheDaysPushFree() {
        Optional<Push> confirmation = policy.on(placed("p1", "c1", may(20)), day(0, 9));
        Optional<Push> earlier = policy.on(reestimated("p1", "c1", 2, EtaDirection.EARLIER, may(15)), day(0, 10));

        assertThat(confirmation).hasValueSatisfying(push -> {
            assertThat(push.confirmation()).isTrue();
            assertThat(push.told()).singleElement().satisfies(told -> {
                assertThat(told.kind()).isEqualTo(Push.Kind.PLACED);
                assertThat(told.latest()).isEqualTo(may(20));
            });
        });
        assertThat(earlier).hasValueSatisfying(push -> {
            assertThat(push.confirmation()).isFalse();
            assertThat(push.told()).singleElement().satisfies(told -> {
                assertThat(told.kind()).isEqualTo(Push.Kind.EARLIER);
                assertThat(told.before()).isEqualTo(may(20));
                assertThat(told.latest()).isEqualTo(may(15));
            });
        });
    }

    @Test
    void aSecondChangeOnTheSameFactoryDayIsHeldAndOnlyItsNewestGoesOutTheNextDay() {
        policy.on(placed("p1", "c1", may(20)), day(0, 9));
        policy.on(reestimated("p1", "c1", 2, EtaDirection.EARLIER, may(15)), day(0, 10));

        assertThat(policy.on(reestimated("p1", "c1", 3, EtaDirection.EARLIER, may(12)), day(0, 11))).isEmpty();
        assertThat(policy.on(reestimated("p1", "c1", 4, EtaDirection.EARLIER, may(10)), day(0, 12))).isEmpty();
        assertThat(policy.held()).isEqualTo(1);
        assertThat(policy.due(day(0, 23))).isEmpty();

        List<Push> nextDay = policy.due(day(1, 0));

        assertThat(nextDay).singleElement().satisfies(push -> assertThat(push.told()).singleElement().satisfies(told -> {
            assertThat(told.kind()).isEqualTo(Push.Kind.EARLIER);
            assertThat(told.before()).isEqualTo(may(15));
            assertThat(told.latest()).isEqualTo(may(10));
        }));
        assertThat(policy.held()).isZero();
        assertThat(policy.due(day(2, 0))).isEmpty();
    }

    @Test
    void aLaterDateIsPushedAtOnceEvenAfterTheDaysPushAndTakesTheHeldChangesAlong() {
        policy.on(placed("p1", "c1", may(20)), day(0, 9));
        policy.on(placed("p2", "c1", may(25)), day(0, 9));
        policy.on(reestimated("p1", "c1", 2, EtaDirection.EARLIER, may(15)), day(0, 10));
        policy.on(reestimated("p2", "c1", 2, EtaDirection.EARLIER, may(22)), day(0, 11));

        Optional<Push> later = policy.on(reestimated("p1", "c1", 3, EtaDirection.LATER, may(18)), day(0, 12));

        assertThat(later).hasValueSatisfying(push -> {
            assertThat(push.tells(Push.Kind.LATER)).isTrue();
            assertThat(push.told()).extracting(Push.Told::preorderId, Push.Told::kind)
                    .containsExactlyInAnyOrder(tuple("p1", Push.Kind.LATER),
                            tuple("p2", Push.Kind.EARLIER));
        });
        assertThat(policy.held()).isZero();
    }

    @Test
    void aDateThatMovedLaterButStaysEarlierThanTheOneToldIsGoodNewsAndWaits() {
        policy.on(placed("p1", "c1", may(20)), day(0, 9));
        policy.on(reestimated("p1", "c1", 2, EtaDirection.EARLIER, may(15)), day(0, 10));
        policy.on(reestimated("p1", "c1", 3, EtaDirection.EARLIER, may(11)), day(0, 11));

        assertThat(policy.on(reestimated("p1", "c1", 4, EtaDirection.LATER, may(13)), day(0, 12))).isEmpty();

        assertThat(policy.due(day(1, 0))).singleElement().satisfies(push -> assertThat(push.told()).singleElement()
                .satisfies(told -> {
                    assertThat(told.kind()).isEqualTo(Push.Kind.EARLIER);
                    assertThat(told.latest()).isEqualTo(may(13));
                }));
    }

    @Test
    void aDateThatMovedAndMovedBackToWhatWasToldIsNoNews() {
        policy.on(placed("p1", "c1", may(20)), day(0, 9));
        policy.on(reestimated("p1", "c1", 2, EtaDirection.EARLIER, may(15)), day(0, 10));
        policy.on(reestimated("p1", "c1", 3, EtaDirection.EARLIER, may(12)), day(0, 11));

        assertThat(policy.on(reestimated("p1", "c1", 4, EtaDirection.LATER, may(15)), day(0, 12))).isEmpty();

        assertThat(policy.held()).isZero();
        assertThat(policy.due(day(1, 0))).isEmpty();
    }

    @Test
    void aStatusChangeWithTheSameDatesIsAPushUnderTheDailyLimit() {
        policy.on(placed("p1", "c1", may(20)), day(0, 9));
        policy.on(reestimated("p1", "c1", 2, EtaDirection.EARLIER, may(15)), day(0, 10));
        EtaNotice built = notice("p1", "c1", 3, EtaDirection.SAME_DATES, EtaChangeCause.BUILT, PreorderStatus.BUILT,
                may(8), may(15), T0);

        assertThat(policy.on(built, day(0, 11))).isEmpty();
        assertThat(policy.due(day(1, 0))).singleElement()
                .satisfies(push -> assertThat(push.told()).singleElement().satisfies(told -> {
                    assertThat(told.kind()).isEqualTo(Push.Kind.STATUS);
                    assertThat(told.status()).isEqualTo(PreorderStatus.BUILT);
                }));
    }

    @Test
    void aCancellationIsConfirmedAtOnceAndDropsWhatWasHeld() {
        policy.on(placed("p1", "c1", may(20)), day(0, 9));
        policy.on(reestimated("p1", "c1", 2, EtaDirection.EARLIER, may(15)), day(0, 10));
        policy.on(reestimated("p1", "c1", 3, EtaDirection.EARLIER, may(12)), day(0, 11));
        EtaNotice cancelled = notice("p1", "c1", 4, EtaDirection.SAME_DATES, EtaChangeCause.CANCELLED, PreorderStatus.CANCELLED,
                may(5), may(12), T0);

        assertThat(policy.on(cancelled, day(0, 12))).hasValueSatisfying(push -> {
            assertThat(push.confirmation()).isTrue();
            assertThat(push.tells(Push.Kind.CANCELLED)).isTrue();
        });
        assertThat(policy.held()).isZero();
        assertThat(policy.due(day(1, 0))).isEmpty();
    }

    @Test
    void countsThePreordersLastToldAnEarlierDateThanTheirConfirmation() {
        policy.on(placed("p1", "c1", may(20)), day(0, 9));
        policy.on(placed("p2", "c2", may(20)), day(0, 9));
        policy.on(reestimated("p1", "c1", 2, EtaDirection.EARLIER, may(15)), day(0, 10));
        policy.on(reestimated("p2", "c2", 2, EtaDirection.EARLIER, may(16)), day(0, 10));
        assertThat(policy.preordersToldEarlier()).isEqualTo(2);

        policy.on(reestimated("p2", "c2", 3, EtaDirection.LATER, may(22)), day(0, 11));

        assertThat(policy.preordersToldEarlier()).isEqualTo(1);
    }

    @Test
    void aPreorderWhoseConfirmationItNeverSawIsToldByTheEventsDirection() {
        assertThat(policy.on(reestimated("p9", "c9", 7, EtaDirection.LATER, may(30)), day(3, 9)))
                .hasValueSatisfying(push -> assertThat(push.tells(Push.Kind.LATER)).isTrue());
        assertThat(policy.on(reestimated("p8", "c8", 5, EtaDirection.EARLIER, may(10)), day(3, 9)))
                .hasValueSatisfying(push -> assertThat(push.tells(Push.Kind.EARLIER)).isTrue());
    }
}
