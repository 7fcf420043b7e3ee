package com.su7.orders.eta;

import java.time.LocalDate;

/** When a car should reach its customer: a range while estimated, one date once it is exact. */
public record Eta(LocalDate earliest, LocalDate latest) {

    public Eta {
        if (latest.isBefore(earliest)) {
            throw new IllegalArgumentException("an ETA cannot end (%s) before it begins (%s)".formatted(latest, earliest));
        }
    }

    public static Eta on(LocalDate date) {
        return new Eta(date, date);
    }

    public boolean isExact() {
        return earliest.equals(latest);
    }
}
