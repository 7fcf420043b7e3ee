package com.su7.orders.preorder;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.su7.events.CancellationReason;
import com.su7.events.Channel;
import com.su7.events.Variant;
import com.su7.orders.eta.Eta;
import com.su7.orders.eta.EtaCause;
import com.su7.orders.eta.EtaChange;
import com.su7.orders.eta.EtaState;
import com.su7.orders.eta.ProjectionStatus;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A preorder as the customer sees it: what was ordered, where it is, when it should arrive and how that moved. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PreorderView(UUID id, String customerId, Variant variant, String exteriorColor, String interior, String wheels,
                    String deliveryCity, BigDecimal deposit, Channel channel, Instant placedAt, ProjectionStatus status, String vin,
                    String deliveryCenter, EtaView eta, Instant cancelledAt, CancellationReason cancellationReason,
                    List<EtaChangeView> etaHistory) {

    static PreorderView of(Preorder preorder, EtaState state, List<EtaChange> history) {
        return new PreorderView(preorder.id().value(), preorder.customerId(), preorder.variant(), preorder.exteriorColor(),
                preorder.interior(), preorder.wheels(), preorder.deliveryCity(), preorder.deposit(), preorder.channel(), preorder.placedAt(), state.status(), state.vin(),
                state.deliveryCenter(), EtaView.of(state),
                preorder.cancellation() == null ? null : preorder.cancellation().cancelledAt(),
                preorder.cancellation() == null ? null : preorder.cancellation().reason(),
                history == null ? null : history.stream().map(EtaChangeView::of).toList());
    }

    /** A date once it is exact (built or scheduled); an earliest and latest date while estimated; none once cancelled. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EtaView(LocalDate date, LocalDate earliest, LocalDate latest) {

        static EtaView of(EtaState state) {
            Eta eta = state.eta();
            if (state.status() == ProjectionStatus.CANCELLED) {
                return null;
            }
            return state.status() == ProjectionStatus.PLACED
                    ? new EtaView(null, eta.earliest(), eta.latest())
                    : new EtaView(eta.earliest(), null, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EtaChangeView(Integer revision, Instant at, EtaCause cause, LocalDate oldEarliest, LocalDate oldLatest, LocalDate newEarliest,
                         LocalDate newLatest) {

        static EtaChangeView of(EtaChange change) {
            return new EtaChangeView(change.revision(), change.at(), change.cause(), change.oldEarliest(), change.oldLatest(),
                    change.newEarliest(), change.newLatest());
        }
    }
}
