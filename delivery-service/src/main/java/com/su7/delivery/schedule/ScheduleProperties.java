package com.su7.delivery.schedule;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param fallbackCity the centre that takes preorders for a city no centre serves (default Beijing, at the
 *                     plant); blank to dead-letter such a PreorderPlaced instead, with the reason
 */
@ConfigurationProperties("su7.delivery.schedule")
record ScheduleProperties(@DefaultValue("Beijing") String fallbackCity) {

    boolean routesUnknownCities() {
        return fallbackCity != null && !fallbackCity.isBlank();
    }
}
