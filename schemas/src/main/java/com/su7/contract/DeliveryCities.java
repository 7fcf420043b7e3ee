package com.su7.contract;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * The cities we deliver to and their transit days from the plant: the one table every service uses (orders
 * validates a preorder's city against it and adds its transit days to build dates; production and delivery seed
 * their tables from it), and the one way to match a city's name ({@link #keyOf}). Changing it here changes it
 * everywhere: the services' migrations re-seed their tables when it changes.
 */
public final class DeliveryCities {

    /** Compiled once: every placement and every event matches its city. First: the cities below are matched by it. */
    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]");

    public static final List<DeliveryCity> ALL = List.of(
            new DeliveryCity("Beijing", 1), new DeliveryCity("Tianjin", 1),
            new DeliveryCity("Shanghai", 2), new DeliveryCity("Hangzhou", 2), new DeliveryCity("Nanjing", 2),
            new DeliveryCity("Suzhou", 2), new DeliveryCity("Wuhan", 2), new DeliveryCity("Xi'an", 2),
            new DeliveryCity("Guangzhou", 3), new DeliveryCity("Shenzhen", 3), new DeliveryCity("Chengdu", 3),
            new DeliveryCity("Chongqing", 3));

    /** Throws at class loading if two cities share a key: a name would match both. */
    private static final Map<String, DeliveryCity> BY_KEY =
            ALL.stream().collect(Collectors.toUnmodifiableMap(DeliveryCity::key, Function.identity()));

    private DeliveryCities() {
    }

    /**
     * How a city's name is matched, everywhere: accents, case, spaces and punctuation aside, letters and digits
     * kept ("Xi'an", " XIAN ", "xi-an" are {@code xian}; "Ürümqi" and "Urumqi" are {@code urumqi}; "Beijing 2" is not
     * Beijing). Empty for null or a name without letters or digits, which matches no city.
     */
    public static String keyOf(String name) {
        if (name == null) {
            return "";
        }
        // NFKD splits an accented letter into the letter and its mark, which is then dropped as not a letter.
        return NOT_LETTER_OR_DIGIT.matcher(Normalizer.normalize(name, Normalizer.Form.NFKD)).replaceAll("").toLowerCase(Locale.ROOT);
    }

    /** The city a name means, matched by {@link #keyOf}; empty if we do not deliver there. */
    public static Optional<DeliveryCity> find(String name) {
        return Optional.ofNullable(BY_KEY.get(keyOf(name)));
    }

    /** @throws IllegalArgumentException if we do not deliver to the city */
    public static DeliveryCity get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("we do not deliver to %s; we deliver to %s".formatted(name, names())));
    }

    /**
     * Changes whenever a city or its transit days change: the services' repeatable migrations re-seed their tables
     * when it does (Flyway runs a repeatable migration again when its checksum changes).
     */
    public static int checksum() {
        CRC32 crc = new CRC32();
        ALL.forEach(city -> crc.update((city.name() + "=" + city.transitDays() + ";").getBytes(StandardCharsets.UTF_8)));
        return (int) crc.getValue();
    }

    /** The cities' names for a message: "Beijing, Tianjin, …". */
    public static String names() {
        return ALL.stream().map(DeliveryCity::name).collect(Collectors.joining(", "));
    }
}
