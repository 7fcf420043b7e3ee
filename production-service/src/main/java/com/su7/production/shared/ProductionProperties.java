package com.su7.production.shared;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the plant runs.
 *
 * @param plant the plant that builds the units (in every UnitBuilt)
 * @param lines the simulated lines
 * @param vin   how VINs are made
 * @param eta   the ETA projection
 */
@Validated
@ConfigurationProperties("production")
public record ProductionProperties(
        @DefaultValue("Beijing Yizhuang") @NotBlank String plant,
        @DefaultValue @Valid Lines lines,
        @DefaultValue @Valid VinSettings vin,
        @DefaultValue @Valid Eta eta) {

    /**
     * @param enabled      build units on the factory calendar; false when a real factory feed reports them
     *                     ({@code POST /api/production/units})
     * @param pollInterval how often the lines look at the clock for a factory day that has ended
     */
    public record Lines(@DefaultValue("true") boolean enabled, @DefaultValue("200ms") @NotNull Duration pollInterval) {
    }

    /**
     * @param wmi      world manufacturer identifier, VIN positions 1-3
     * @param plantCode VIN position 11
     */
    public record VinSettings(
            @DefaultValue("LSU") @Pattern(regexp = "[A-HJ-NPR-Z0-9]{3}", message = "must be 3 VIN characters") String wmi,
            @DefaultValue("B") @Pattern(regexp = "[A-HJ-NPR-Z0-9]", message = "must be 1 VIN character") String plantCode) {
    }

    /**
     * @param defaultTransitDays transit days to a delivery city missing from {@code city_transit}
     * @param horizonDays        how far ahead the projection looks for capacity; a preorder beyond it has no ETA
     * @param projectionInterval how often newly queued preorders (and those behind them) are projected
     */
    public record Eta(@DefaultValue("3") @Min(0) int defaultTransitDays, @DefaultValue("3660") @Min(1) int horizonDays,
                      @DefaultValue("200ms") @NotNull Duration projectionInterval) {
    }
}
