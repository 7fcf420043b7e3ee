package com.su7.contract;

import java.util.Objects;

/**
 * A city preorders are delivered to.
 *
 * @param name        how every service spells it (events, APIs, database rows)
 * @param transitDays days a car travels there from the plant (Beijing Yizhuang)
 */
public record DeliveryCity(String name, int transitDays) {

    public DeliveryCity {
        Objects.requireNonNull(name, "a delivery city needs a name");
        if (DeliveryCities.keyOf(name).isEmpty()) {
            throw new IllegalArgumentException("a delivery city's name needs a letter or a digit, not '%s'".formatted(name));
        }
        if (transitDays < 0) {
            throw new IllegalArgumentException("transit days to %s must be zero or more, not %d".formatted(name, transitDays));
        }
    }

    /** Its name as {@link DeliveryCities#keyOf} matches it. */
    public String key() {
        return DeliveryCities.keyOf(name);
    }
}
