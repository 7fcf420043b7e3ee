package com.su7.production.line;

import java.util.Objects;

/**
 * A 17-character vehicle identification number (ISO 3779; the check digit in position 9 as in 49 CFR 565 and
 * GB 16735): WMI (1-3), vehicle descriptor (4-8), check digit (9), model year (10), plant (11), serial (12-17).
 * The letters I, O and Q never appear.
 */
record Vin(String value) {

    static final int LENGTH = 17;
    static final int MAX_SERIAL = 999_999;
    private static final String ALLOWED = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
    private static final int[] WEIGHTS = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
    /** Model-year codes, a 30-year cycle from 1980 (A) on: 2026 is T. */
    private static final String MODEL_YEARS = "ABCDEFGHJKLMNPRSTVWXY123456789";

    Vin {
        Objects.requireNonNull(value, "a VIN is required");
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why the text is not a valid VIN, or null if it is one. */
    static String problemWith(String text) {
        if (text.length() != LENGTH) {
            return "VIN %s must have %d characters, not %d".formatted(text, LENGTH, text.length());
        }
        for (int i = 0; i < LENGTH; i++) {
            if (ALLOWED.indexOf(text.charAt(i)) < 0) {
                return "VIN %s has '%s' in position %d: only digits and capital letters other than I, O and Q"
                        .formatted(text, text.charAt(i), i + 1);
            }
        }
        char expected = checkDigit(text);
        if (text.charAt(8) != expected) {
            return "VIN %s has check digit %s in position 9, not the %s its other characters give"
                    .formatted(text, text.charAt(8), expected);
        }
        return null;
    }

    /** The check digit of the 17 characters (position 9 itself does not count): 0-9 or X for 10. */
    static char checkDigit(CharSequence vin) {
        int sum = 0;
        for (int i = 0; i < LENGTH; i++) {
            sum += transliterate(vin.charAt(i)) * WEIGHTS[i];
        }
        int remainder = sum % 11;
        return remainder == 10 ? 'X' : (char) ('0' + remainder);
    }

    static Vin assemble(String wmi, String descriptor, int modelYear, String plantCode, int serial) {
        if (serial < 0 || serial > MAX_SERIAL) {
            throw new IllegalArgumentException("a VIN serial has six digits, %d does not fit".formatted(serial));
        }
        StringBuilder vin = new StringBuilder(LENGTH).append(wmi).append(descriptor).append('0')
                .append(modelYearCode(modelYear)).append(plantCode).append("%06d".formatted(serial));
        if (vin.length() != LENGTH) {
            throw new IllegalArgumentException("WMI %s, descriptor %s and plant %s do not make a 17-character VIN"
                    .formatted(wmi, descriptor, plantCode));
        }
        vin.setCharAt(8, checkDigit(vin));
        return new Vin(vin.toString());
    }

    static char modelYearCode(int year) {
        if (year < 1980) {
            throw new IllegalArgumentException("no VIN model-year code before 1980, not for " + year);
        }
        return MODEL_YEARS.charAt((year - 1980) % MODEL_YEARS.length());
    }

    private static int transliterate(char character) {
        if (character >= '0' && character <= '9') {
            return character - '0';
        }
        return switch (character) {
            case 'A', 'J' -> 1;
            case 'B', 'K', 'S' -> 2;
            case 'C', 'L', 'T' -> 3;
            case 'D', 'M', 'U' -> 4;
            case 'E', 'N', 'V' -> 5;
            case 'F', 'W' -> 6;
            case 'G', 'P', 'X' -> 7;
            case 'H', 'Y' -> 8;
            case 'R', 'Z' -> 9;
            default -> throw new IllegalArgumentException("'%s' is not a VIN character".formatted(character));
        };
    }

    @Override
    public String toString() {
        return value;
    }
}
