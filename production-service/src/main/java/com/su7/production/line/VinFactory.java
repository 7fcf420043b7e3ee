package com.su7.production.line;

import com.su7.events.Variant;
import com.su7.production.shared.ProductionProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * New VINs for the plant, one round trip per batch: serials count per model year and plant ({@code vin_serials}),
 * as real VINs do, so a year has 999,999 and the next one starts again at 000001. The counter's row stays locked
 * until the build commits, which orders the batches of one year; a rolled-back build gives its serials back.
 */
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
        int modelYear = builtOn.getYear();
        List<Integer> last = jdbc.queryForList("""
                insert into vin_serials as s (model_year, plant_code, last_serial) values (?, ?, ?)
                on conflict (model_year, plant_code) do update set last_serial = s.last_serial + excluded.last_serial
                where s.last_serial + excluded.last_serial <= ?
                returning last_serial""", Integer.class, modelYear, plantCode, variants.size(), Vin.MAX_SERIAL);
        if (last.isEmpty()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "model year %d at plant %s has too few VIN serials "
                    + "left for %d more units: a model year and plant have %,d; a second plant code is how a larger year "
                    + "is numbered", modelYear, plantCode, variants.size(), Vin.MAX_SERIAL));
        }
        int first = last.getFirst() - variants.size() + 1;
        return IntStream.range(0, variants.size())
                .mapToObj(i -> Vin.assemble(wmi, descriptor(variants.get(i)), modelYear, plantCode, first + i))
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
