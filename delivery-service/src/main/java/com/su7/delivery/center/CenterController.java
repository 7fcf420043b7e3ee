package com.su7.delivery.center;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** Delivery centres and their daily hand-over capacity. */
@RestController
@RequestMapping("/api/delivery/centers")
class CenterController {

    private final Centers centers;
    private final CenterCapacities capacities;

    CenterController(Centers centers, CenterCapacities capacities) {
        this.centers = centers;
        this.capacities = capacities;
    }

    record CenterResponse(String city, String name, int transitDays, int dailyCapacity, Instant updatedAt) {

        static CenterResponse of(Center center) {
            return new CenterResponse(center.city(), center.name(), center.transitDays(), center.dailyCapacity(), center.updatedAt());
        }
    }

    record CapacityUpdate(
            @DailyCapacity Integer dailyCapacity,
            @NotBlank(message = "is required: who makes the change") @Size(max = 100, message = "must be at most 100 characters")
            String changedBy,
            @NotBlank(message = "is required: why the capacity changes") @Size(max = 500, message = "must be at most 500 characters")
            String reason) {
    }

    record CapacityUpdated(CenterResponse center, int previousCapacity, int handOversMovedEarlier) {
    }

    record CapacityPreviewRequest(@DailyCapacity Integer dailyCapacity) {
    }

    enum Direction { RAISE, LOWER, UNCHANGED }

    /**
     * @param daysEarlier by how many days the hand-overs would move earlier: nearest-rank p50 and p95 (the smallest
     *                    number of days that share of them would move at most) and max; all 0 when none would move
     * @param note        what the change does, in words: raising moves hand-overs earlier, lowering moves none
     */
    record CapacityPreview(String city, String center, int currentCapacity, int newCapacity, Direction direction,
                           int handOversMovedEarlier, DaysMoved daysEarlier, String note) {
    }

    record DaysMoved(int p50, int p95, int max) {

        static DaysMoved of(List<Integer> days) {
            List<Integer> sorted = days.stream().sorted().toList();
            return sorted.isEmpty() ? new DaysMoved(0, 0, 0) : new DaysMoved(rank(sorted, 0.50), rank(sorted, 0.95), sorted.getLast());
        }

        private static int rank(List<Integer> sorted, double share) {
            return sorted.get((int) Math.ceil(share * sorted.size()) - 1);
        }
    }

    record CapacityChangeResponse(int previousCapacity, int newCapacity, String changedBy, String reason, Instant changedAt) {
    }

    @GetMapping
    List<CenterResponse> all() {
        return centers.all().stream().map(CenterResponse::of).toList();
    }

    @GetMapping("/{city}")
    CenterResponse one(@PathVariable String city) {
        return CenterResponse.of(capacities.get(city));
    }

    @PutMapping("/{city}")
    @Operation(summary = "Change a centre's daily hand-over capacity",
            description = "Raising it moves hand-overs booked after today to the first free day from their earliest, each with a "
                    + "new DeliveryScheduled revision; lowering it keeps every promised date. 400 problem details name each "
                    + "wrong field; 404 when no centre serves the city.")
    CapacityUpdated changeCapacity(@PathVariable String city, @Valid @RequestBody CapacityUpdate update) {
        CenterCapacities.Outcome outcome = capacities.change(city, update.dailyCapacity(), update.changedBy().strip(), update.reason().strip());
        return new CapacityUpdated(CenterResponse.of(outcome.center()), outcome.previousCapacity(), outcome.movedEarlier());
    }

    @PostMapping("/{city}/capacity-preview")
    @Operation(summary = "What a centre's new daily capacity would do to its hand-overs, without changing it",
            description = "How many booked hand-overs would move earlier and by how many days (p50, p95, max), with the current "
                    + "and the new capacity. The change is made and rolled back, so the numbers are exactly what the PUT would "
                    + "do now; nothing is kept and no DeliveryScheduled is published. Lowering the capacity moves nobody. "
                    + "Validation as the PUT's dailyCapacity: 400 problem details; 404 when no centre serves the city.")
    CapacityPreview previewCapacity(@PathVariable String city, @Valid @RequestBody CapacityPreviewRequest request) {
        int capacity = request.dailyCapacity();
        CenterCapacities.Outcome outcome = capacities.preview(city, capacity);
        int current = outcome.previousCapacity();
        Direction direction = capacity > current ? Direction.RAISE : capacity < current ? Direction.LOWER : Direction.UNCHANGED;
        String note = switch (direction) {
            case RAISE -> "hand-overs booked after today would move to the first free day from their earliest; none would move later";
            case LOWER -> "lowering keeps every promised date: no hand-over would move; only hand-overs booked from now on would get fewer slots";
            case UNCHANGED -> "the capacity is %d already: nothing would change".formatted(current);
        };
        return new CapacityPreview(outcome.center().city(), outcome.center().name(), current, capacity, direction,
                outcome.movedEarlier(), DaysMoved.of(outcome.daysEarlier()), note);
    }

    @GetMapping("/{city}/capacity-changes")
    List<CapacityChangeResponse> capacityChanges(@PathVariable String city) {
        return capacities.history(city).stream()
                .map(change -> new CapacityChangeResponse(change.previousCapacity(), change.newCapacity(), change.changedBy(),
                        change.reason(), change.changedAt()))
                .toList();
    }
}
