package com.su7.orders.transit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The cities we deliver to and how many days a car travels there from the plant. Production, delivery and
 * orders keep the same table, so their dates agree.
 *
 * @param plant where every car is built
 * @param days  transit days from the plant, by city
 */
@ConfigurationProperties("orders.transit")
public record Transit(@DefaultValue("Beijing Yizhuang") String plant, Map<String, Integer> days) {

    public Transit {
        if (days == null || days.isEmpty()) {
            throw new IllegalArgumentException("orders.transit.days must name at least one city with its transit days");
        }
        days.forEach((city, transit) -> {
            if (transit == null || transit < 0) {
                throw new IllegalArgumentException("transit days to %s must be zero or more, not %s".formatted(city, transit));
            }
        });
        days = new TreeMap<>(days);
    }

    /**
     * The city's name as we spell it, matched regardless of case and punctuation ("xian" is Xi'an), as production
     * and delivery match it; empty if we do not deliver there.
     */
    public Optional<String> city(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = normalized(name);
        return wanted.isEmpty() ? Optional.empty() : days.keySet().stream().filter(city -> normalized(city).equals(wanted)).findFirst();
    }

    /** Compiled once: every placement and every request decoded matches its city. */
    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]");

    private static String normalized(String name) {
        return NOT_LETTER_OR_DIGIT.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("");
    }

    public int daysTo(String city) {
        return city(city).map(days::get)
                .orElseThrow(() -> new IllegalArgumentException("we do not deliver to %s".formatted(city)));
    }

    public String cities() {
        return String.join(", ", days.keySet());
    }
}
