package com.su7.contract;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreorderIdTests {

    @Test
    void isWrittenAndParsedAsItsUuid() {
        UUID uuid = UUID.randomUUID();

        assertThat(new PreorderId(uuid)).hasToString(uuid.toString());
        assertThat(PreorderId.parse(uuid.toString())).isEqualTo(new PreorderId(uuid));
        assertThat(PreorderId.tryParse(uuid.toString())).hasValue(new PreorderId(uuid));
    }

    @Test
    void parsingTextThatIsNotAUuidSaysWhichText() {
        assertThatThrownBy(() -> PreorderId.parse("order-42")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("preorder id order-42 is not a UUID");
        assertThatThrownBy(() -> PreorderId.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("preorder id null is not a UUID");
        assertThat(PreorderId.tryParse("order-42")).isEmpty();
        assertThat(PreorderId.tryParse(null)).isEmpty();
    }

    @Test
    void needsAValue() {
        assertThatThrownBy(() -> new PreorderId(null)).isInstanceOf(NullPointerException.class);
    }
}
