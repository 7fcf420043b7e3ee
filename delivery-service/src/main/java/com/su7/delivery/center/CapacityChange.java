package com.su7.delivery.center;

import java.time.Instant;

/** One change of a centre's daily capacity: who made it, when and why. */
record CapacityChange(String city, int previousCapacity, int newCapacity, String changedBy, String reason, Instant changedAt) {
}
