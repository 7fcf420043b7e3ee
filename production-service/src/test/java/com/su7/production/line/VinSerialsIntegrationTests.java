package com.su7.production.line;

import com.su7.events.Variant;
import com.su7.production.support.IntegrationTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Serials count per model year and plant, as real VINs do (positions 10-11 make the serial unique): a year's
 * 999,999 is ten times the plant's 100,000, and the next model year starts again at 000001. Far-future years keep
 * these tests off the serials the other tests' builds use.
 */
class VinSerialsIntegrationTests extends IntegrationTestBase {

    @Autowired
    VinFactory vins;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theLastSerialsOfAModelYearAreIssuedAndTheNextYearStartsAgainAtOne() {
        usedUpTo(2041, 999_998);

        List<Vin> endOfYear = vins.next(List.of(Variant.SU7), LocalDate.of(2041, 12, 31));
        List<Vin> newYear = vins.next(List.of(Variant.SU7, Variant.SU7_MAX), LocalDate.of(2042, 1, 1));

        assertThat(endOfYear).extracting(Vin::value).singleElement().satisfies(vin -> assertThat(vin).endsWith("999999"));
        assertThat(newYear).extracting(vin -> vin.value().substring(9, 11) + vin.value().substring(11))
                .containsExactly("CB000001", "CB000002");
        assertThat(endOfYear.getFirst().value().charAt(9)).as("model-year codes differ").isEqualTo('B');
    }

    @Test
    void aModelYearThatWouldPassItsLastSerialSaysSoAndIssuesNone() {
        usedUpTo(2043, 999_998);

        assertThatThrownBy(() -> vins.next(List.of(Variant.SU7, Variant.SU7_PRO), LocalDate.of(2043, 6, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2043").hasMessageContaining("999,999");
        assertThat(vins.next(List.of(Variant.SU7_PRO), LocalDate.of(2043, 6, 1))).extracting(Vin::value)
                .singleElement().satisfies(vin -> assertThat(vin).endsWith("999999"));
    }

    private void usedUpTo(int modelYear, int serial) {
        jdbc.update("""
                insert into vin_serials (model_year, plant_code, last_serial) values (?, 'B', ?)
                on conflict (model_year, plant_code) do update set last_serial = excluded.last_serial""", modelYear, serial);
    }
}
