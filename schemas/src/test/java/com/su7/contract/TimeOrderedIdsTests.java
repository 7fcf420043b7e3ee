package com.su7.contract;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdsTests {

    @Test
    void idsAreVersion7AndSortInTheOrderTheyWereMadeAsTextAndAsPostgreSqlComparesThem() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(TimeOrderedIds.next());
        }

        assertThat(ids).allSatisfy(id -> assertThat(id.version()).isEqualTo(7)).doesNotHaveDuplicates();
        assertThat(ids.stream().map(UUID::toString).toList()).isSorted();
        // PostgreSQL orders uuids as unsigned bytes, which java.util.UUID's signed compareTo does not.
        assertThat(ids).isSortedAccordingTo((a, b) -> a.getMostSignificantBits() != b.getMostSignificantBits()
                ? Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits())
                : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits()));
    }

    @Test
    void aPreorderIdIsTimeOrdered() {
        assertThat(PreorderId.next().value().version()).isEqualTo(7);
    }
}
