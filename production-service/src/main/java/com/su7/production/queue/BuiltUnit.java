package com.su7.production.queue;

import com.su7.contract.PreorderId;

import java.time.Instant;
import java.time.LocalDate;

/** A car built for a preorder, on factory date {@code builtOn} (the date {@code builtAt} falls on). */
public record BuiltUnit(PreorderId preorderId, String vin, String plant, Instant builtAt, LocalDate builtOn) {
}
