package com.su7.messaging;

import com.su7.messaging.registry.CompatibilityLevel;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessagingPropertiesTests {

    @Test
    void asksForFullTransitiveCompatibilityByDefault() {
        assertThat(bind(Map.of()).compatibility()).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
    }

    @Test
    void refusesALevelThatLetsANewSchemaFailToReadTheEventsOnItsTopic() {
        assertThatThrownBy(() -> bind(Map.of("su7.messaging.compatibility", "FORWARD_TRANSITIVE")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("FORWARD_TRANSITIVE").hasMessageContaining("BACKWARD or stricter");
    }

    private static MessagingProperties bind(Map<String, String> set) {
        Map<String, String> settings = new HashMap<>(Map.of("su7.messaging.registry-url", "http://127.0.0.1:8085"));
        settings.putAll(set);
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("su7.messaging", MessagingProperties.class);
    }
}
