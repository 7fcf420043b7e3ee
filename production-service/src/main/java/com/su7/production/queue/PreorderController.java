package com.su7.production.queue;

import com.su7.contract.PreorderId;
import com.su7.events.Variant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Where a preorder is in production and when it should arrive, as production sees it. */
@RestController
class PreorderController {

    private final ProductionQueue queue;

    PreorderController(ProductionQueue queue) {
        this.queue = queue;
    }

    @GetMapping("/api/production/preorders/{preorderId}")
    PreorderResponse preorder(@PathVariable UUID preorderId) {
        PreorderId id = new PreorderId(preorderId);
        return queue.find(id).map(PreorderResponse::of).orElseThrow(() -> new UnknownPreorderException(id));
    }

    /**
     * @param queuePosition      1 = the next to be built; only while queued
     * @param estimatedBuildDate projected while queued (null beyond the planning horizon), the build date once built
     * @param eta                build date + transit days to the city; the scheduled delivery date once scheduled; none
     *                           once cancelled
     * @param cancelledAt        when the customer cancelled; a cancelled preorder has no unit, ETA or delivery
     * @param releasedVin        the unit a cancelled preorder gave up (to the next preorder in line of its variant)
     */
    record PreorderResponse(UUID preorderId, PreorderStatus status, Variant variant, String deliveryCity, Instant placedAt,
                            Long queuePosition, LocalDate estimatedBuildDate, LocalDate eta, String vin, String plant,
                            Instant builtAt, String deliveryCenter, LocalDate deliveryDate, Integer deliveryRevision,
                            Instant cancelledAt, String releasedVin) {

        static PreorderResponse of(PreorderState state) {
            return new PreorderResponse(state.id().value(), state.status(), state.variant(), state.deliveryCity(), state.placedAt(),
                    state.queuePosition(), state.estimatedBuildDate(), state.eta(), state.vin(), state.plant(), state.builtAt(),
                    state.deliveryCenter(), state.deliveryDate(), state.deliveryRevision(), state.cancelledAt(), state.releasedVin());
        }
    }
}
