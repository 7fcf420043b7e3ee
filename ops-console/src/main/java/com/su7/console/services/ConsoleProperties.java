package com.su7.console.services;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.net.URI;

/** @param services where each service's API answers */
@Validated
@ConfigurationProperties("su7.console")
record ConsoleProperties(@NotNull Services services) {

    record Services(@NotNull URI orders, @NotNull URI production, @NotNull URI delivery) {

        URI of(Service service) {
            return switch (service) {
                case ORDERS -> orders;
                case PRODUCTION -> production;
                case DELIVERY -> delivery;
            };
        }
    }
}
