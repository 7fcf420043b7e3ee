package com.su7.delivery.center;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
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

    /** Above this a typo is far likelier than a centre that hands over this many cars a day. */
    static final int MAX_DAILY_CAPACITY = 5_000;

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
            @NotNull(message = "is required")
            @Min(value = 1, message = "must be at least 1 hand-over a day")
            @Max(value = MAX_DAILY_CAPACITY, message = "must be at most " + MAX_DAILY_CAPACITY + " hand-overs a day")
            Integer dailyCapacity,
            @NotBlank(message = "is required: who makes the change") @Size(max = 100, message = "must be at most 100 characters")
            String changedBy,
            @NotBlank(message = "is required: why the capacity changes") @Size(max = 500, message = "must be at most 500 characters")
            String reason) {
    }

    record CapacityUpdated(CenterResponse center, int previousCapacity, int handOversMovedEarlier) {
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
    CapacityUpdated changeCapacity(@PathVariable String city, @Valid @RequestBody CapacityUpdate update) {
        CenterCapacities.Outcome outcome = capacities.change(city, update.dailyCapacity(), update.changedBy().strip(), update.reason().strip());
        return new CapacityUpdated(CenterResponse.of(outcome.center()), outcome.previousCapacity(), outcome.movedEarlier());
    }

    /**
     * @param daysEarlier over the hand-overs that would move: factory days earlier (nearest-rank p50 and p95, max);
     *                    zeros when none would
     * @param note        what a lowered (or unchanged) capacity does: it moves nobody
     */
    record CapacityPreview(String city, int currentCapacity, int newCapacity, int movedEarlier, Days daysEarlier, String note) {
    }

    record Days(int p50, int p95, int max) {

        static Days of(List<Integer> days) {
            if (days.isEmpty()) {
                return new Days(0, 0, 0);
            }
            List<Integer> sorted = days.stream().sorted().toList();
            return new Days(rank(sorted, 0.5), rank(sorted, 0.95), sorted.getLast());
        }

        private static int rank(List<Integer> sorted, double quantile) {
            return sorted.get((int) Math.ceil(quantile * sorted.size()) - 1);
        }
    }

    record CapacityPreviewRequest(
            @NotNull(message = "is required")
            @Min(value = 1, message = "must be at least 1 hand-over a day")
            @Max(value = MAX_DAILY_CAPACITY, message = "must be at most " + MAX_DAILY_CAPACITY + " hand-overs a day")
            Integer dailyCapacity) {
    }

    @Operation(summary = "What a capacity change would do, without making it",
            description = "Rehearses PUT /{city} with this capacity (in a transaction rolled back at its end): how many hand-overs "
                    + "scheduled after today would move earlier and by how many days. A lower capacity moves nobody (booked "
                    + "hand-overs keep their day; new ones book at the lower capacity). Nothing changes and no event is published.")
    @PostMapping("/{city}/capacity-preview")
    CapacityPreview previewCapacity(@PathVariable String city, @Valid @RequestBody CapacityPreviewRequest request) {
        CenterCapacities.Outcome outcome = capacities.preview(city, request.dailyCapacity());
        return new CapacityPreview(outcome.center().city(), outcome.previousCapacity(), request.dailyCapacity(), outcome.movedEarlier(),
                Days.of(outcome.daysEarlier()), request.dailyCapacity() > outcome.previousCapacity() ? null
                        : "a capacity that is not raised moves no hand-over: booked ones keep their day, new ones book at the new capacity");
    }

    @GetMapping("/{city}/capacity-changes")
    List<CapacityChangeResponse> capacityChanges(@PathVariable String city) {
        return capacities.history(city).stream()
                .map(change -> new CapacityChangeResponse(change.previousCapacity(), change.newCapacity(), change.changedBy(),
                        change.reason(), change.changedAt()))
                .toList();
    }
}
