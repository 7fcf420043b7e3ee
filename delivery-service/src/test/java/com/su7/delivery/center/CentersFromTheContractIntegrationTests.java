package com.su7.delivery.center;

import com.su7.contract.DeliveryCities;
import com.su7.delivery.DeliveryIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Delivery's centres serve the contract's cities with its transit days: orders and production use the same table. */
@DeliveryIntegrationTest
class CentersFromTheContractIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    record City(String name, String key, int transitDays) {
    }

    @Test
    void everyCityOfTheContractHasACentreWithItsTransitDays() {
        // Other tests add centres of their own: only the contract's cities are compared.
        List<City> stored = jdbc.query("select city, city_key, transit_days from center where city not like 'Testcity%'",
                (rs, row) -> new City(rs.getString(1), rs.getString(2), rs.getInt(3)));

        assertThat(stored).containsExactlyInAnyOrderElementsOf(
                DeliveryCities.ALL.stream().map(city -> new City(city.name(), city.key(), city.transitDays())).toList());
    }

    @Test
    void isSeededAgainWhenTheContractsTableChanges() {
        // Flyway runs a repeatable migration again at the next start when its checksum differs from the one recorded.
        assertThat(jdbc.queryForObject("select checksum from flyway_schema_history where version is null and description = ?",
                Integer.class, "centers from the contract")).isEqualTo(DeliveryCities.checksum());
    }
}
