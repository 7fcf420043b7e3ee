package com.su7.production.line;

import com.su7.events.Variant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class VinTests {

    @Test
    void acceptsPublishedVinsWithTheirCheckDigits() {
        // The textbook example (check digit X) and the all-ones VIN (its own check digit is 1).
        assertThat(Vin.problemWith("1M8GDM9AXKP042788")).isNull();
        assertThat(Vin.problemWith("11111111111111111")).isNull();
        assertThat(Vin.checkDigit("1M8GDM9A0KP042788")).isEqualTo('X');
    }

    @Test
    void assemblesAVinWithTheCheckDigitInPositionNine() {
        Vin vin = Vin.assemble("LSU", VinFactory.descriptor(Variant.SU7_MAX), 2026, "B", 123);
        assertThat(vin.value()).hasSize(17).startsWith("LSUS7MEV").endsWith("TB000123");
        assertThat(vin.value().charAt(8)).isEqualTo(Vin.checkDigit(vin.value()));
        assertThat(Vin.problemWith(vin.value())).isNull();
    }

    @Test
    void refusesAWrongCheckDigitAWrongLengthAndTheLettersIOAndQ() {
        assertThat(Vin.problemWith("1M8GDM9A1KP042788")).contains("check digit 1 in position 9", "not the X");
        assertThat(Vin.problemWith("1M8GDM9AXKP04278")).contains("17 characters");
        assertThat(Vin.problemWith("1M8GDM9AXKP0427O8")).contains("'O' in position 16");
        String valid = Vin.assemble("LSU", "S7MEV", 2026, "B", 123).value();
        String altered = valid.substring(0, 8) + (valid.charAt(8) == '5' ? '6' : '5') + valid.substring(9);
        assertThatIllegalArgumentException().isThrownBy(() -> new Vin(altered)).withMessageContaining("check digit");
    }

    @Test
    void codesModelYearsOnTheirThirtyYearCycle() {
        assertThat(Vin.modelYearCode(2026)).isEqualTo('T');
        assertThat(Vin.modelYearCode(2027)).isEqualTo('V');
        assertThat(Vin.modelYearCode(2030)).isEqualTo('Y');
        assertThat(Vin.modelYearCode(2031)).isEqualTo('1');
        assertThat(Vin.modelYearCode(2010)).isEqualTo('A');
    }

    @Test
    void everyVariantHasADescriptorOfFiveVinCharacters() {
        for (Variant variant : Variant.values()) {
            assertThat(VinFactory.descriptor(variant)).matches("[A-HJ-NPR-Z0-9]{5}");
        }
    }
}
