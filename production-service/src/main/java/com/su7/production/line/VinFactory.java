package com.su7.production.line;

import com.su7.events.Variant;
import com.su7.production.shared.ProductionProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.List;

/** New VINs for the plant: serials from the {@code vin_serial} sequence, one round trip per batch. */
@Component
class VinFactory {

    private final JdbcTemplate jdbc;
    private final String wmi;
    private final String plantCode;

    VinFactory(JdbcTemplate jdbc, ProductionProperties properties) {
        this.jdbc = jdbc;
        this.wmi = properties.vin().wmi();
        this.plantCode = properties.vin().plantCode();
    }

    /** One VIN per variant given, in order, with the model year of the build date. */
    List<Vin> next(List<Variant> variants, LocalDate builtOn) {
        if (variants.isEmpty()) {
            return List.of();
        }
        List<Integer> serials = jdbc.queryForList("select nextval('vin_serial')::integer from generate_series(1, ?)",
                Integer.class, variants.size());
        return java.util.stream.IntStream.range(0, variants.size())
                .mapToObj(i -> Vin.assemble(wmi, descriptor(variants.get(i)), builtOn.getYear(), plantCode, serials.get(i)))
                .toList();
    }

    /** Vehicle descriptor, positions 4-8: the line (S7), the variant, electric drive (EV). */
    static String descriptor(Variant variant) {
        return switch (variant) {
            case SU7 -> "S7BEV";
            case SU7_PRO -> "S7PEV";
            case SU7_MAX -> "S7MEV";
        };
    }
}
