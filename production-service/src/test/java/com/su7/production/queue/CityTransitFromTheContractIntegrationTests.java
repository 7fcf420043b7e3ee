package com.su7.production.queue;

import com.su7.contract.DeliveryCities;
import com.su7.production.support.IntegrationTestBase;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Production's transit table is the contract's: orders and delivery use the same one, so their dates agree. */
class CityTransitFromTheContractIntegrationTests extends IntegrationTestBase {

    record City(String name, String key, int transitDays) {
    }

    @Test
    void theTransitTableIsTheContracts() {
        List<City> stored = jdbc.query("select city, city_key, transit_days from city_transit",
                (rs, row) -> new City(rs.getString(1), rs.getString(2), rs.getInt(3)));

        assertThat(stored).containsExactlyInAnyOrderElementsOf(
                DeliveryCities.ALL.stream().map(city -> new City(city.name(), city.key(), city.transitDays())).toList());
    }

    @Test
    void isSeededAgainWhenTheContractsTableChanges() {
        // Flyway runs a repeatable migration again at the next start when its checksum differs from the one recorded.
        assertThat(jdbc.queryForObject("select checksum from flyway_schema_history where version is null and description = ?",
                Integer.class, "city transit from the contract")).isEqualTo(DeliveryCities.checksum());
    }
}
