package com.su7.orders.preorder;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PreorderTests {

    private static PreorderRequest request(String color, String deposit) {
        return new PreorderRequest("customer-1", "SU7_MAX", color, "Shanghai", new BigDecimal(deposit), "APP", null, null);
    }

    @Test
    void theSameOrderHashesTheSameHoweverItsDepositIsWritten() {
        assertThat(Preorder.hashOf(request("Grey", "5000"), "Shanghai"))
                .isEqualTo(Preorder.hashOf(request("Grey", "5000.00"), "Shanghai"));
    }

    @Test
    void aDifferentOrderHashesDifferently() {
        assertThat(Preorder.hashOf(request("Grey", "5000"), "Shanghai"))
                .isNotEqualTo(Preorder.hashOf(request("Blue", "5000"), "Shanghai"))
                .isNotEqualTo(Preorder.hashOf(request("Grey", "5000.01"), "Shanghai"))
                .isNotEqualTo(Preorder.hashOf(request("Grey", "5000"), "Beijing"));
    }

    @Test
    void itsPreorderPlacedCarriesWhatWasOrdered() {
        Instant placedAt = Instant.parse("2026-05-10T04:00:00Z");
        Preorder preorder = Preorder.of(request("Grey", "5000"), "Shanghai", "key-1", EntryPoint.REST, placedAt);

        var event = preorder.placed(placedAt.plusMillis(5));

        assertThat(event.getPreorderId()).isEqualTo(preorder.id().toString());
        assertThat(event.getDeposit()).isEqualTo(new BigDecimal("5000.00"));
        assertThat(event.getPlacedAt()).isEqualTo(placedAt);
        assertThat(event.getOccurredAt()).isEqualTo(placedAt.plusMillis(5));
        assertThat(event.getEventId()).isNotBlank();
    }
}
