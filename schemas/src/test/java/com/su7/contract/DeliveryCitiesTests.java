package com.su7.contract;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryCitiesTests {

    @Test
    void matchesANameWhateverItsCaseSpacesPunctuationAndAccents() {
        assertThat(DeliveryCities.keyOf("Xi'an")).isEqualTo(DeliveryCities.keyOf(" XIAN ")).isEqualTo(DeliveryCities.keyOf("xi-an"))
                .isEqualTo("xian");
        assertThat(DeliveryCities.keyOf("Ürümqi")).isEqualTo(DeliveryCities.keyOf("URUMQI")).isEqualTo("urumqi");
        assertThat(DeliveryCities.find("xi an")).map(DeliveryCity::name).hasValue("Xi'an");
        assertThat(DeliveryCities.find("SHANGHAI")).hasValue(new DeliveryCity("Shanghai", 2));
    }

    @Test
    void keepsDigitsAndNonLatinLettersSoTheyMatchNoOtherCity() {
        assertThat(DeliveryCities.keyOf("Beijing 2")).isEqualTo("beijing2");
        assertThat(DeliveryCities.find("Beijing 2")).isEmpty();
        assertThat(DeliveryCities.keyOf("北京")).isEqualTo("北京");
        assertThat(DeliveryCities.find("北京")).isEmpty();
    }

    @Test
    void aNameWithoutLettersOrDigitsMatchesNothing() {
        assertThat(DeliveryCities.keyOf(null)).isEmpty();
        assertThat(DeliveryCities.keyOf(" '-' ")).isEmpty();
        assertThat(DeliveryCities.find(null)).isEmpty();
        assertThat(DeliveryCities.find("")).isEmpty();
    }

    @Test
    void refusesACityWeDoNotDeliverToNamingThoseWeDo() {
        assertThatThrownBy(() -> DeliveryCities.get("Atlantis")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Atlantis").hasMessageContaining("Beijing, Tianjin, Shanghai");
    }

    @Test
    void everyCityHasItsOwnKeyAndTransitDays() {
        assertThat(DeliveryCities.ALL).extracting(DeliveryCity::key).doesNotHaveDuplicates();
        assertThat(DeliveryCities.ALL).allSatisfy(city -> assertThat(city.transitDays()).isBetween(0, 30));
    }

    @Test
    void aCityNeedsANameThatCanBeMatched() {
        assertThatThrownBy(() -> new DeliveryCity("--", 1)).hasMessageContaining("letter or a digit");
        assertThatThrownBy(() -> new DeliveryCity("Lhasa", -1)).hasMessageContaining("zero or more");
    }
}
