package com.su7.production.capacity;

import java.time.LocalDate;

/** Published inside the transaction that changed the plan, so what depends on the plan changes with it. */
public record CapacityPlanChanged(LocalDate effectiveFrom, String changedBy) {
}
