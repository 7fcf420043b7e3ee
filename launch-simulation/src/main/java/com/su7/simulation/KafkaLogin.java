package com.su7.simulation;

import com.su7.localstack.KafkaPrincipal;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

import java.util.HashMap;
import java.util.Map;

/**
 * A Kafka user of the system (SASL/SCRAM-SHA-512) as the simulation logs in: the app's backend, the notification
 * service it plays, the observer it measures with. Without a password it connects without SASL (a broker without ACLs).
 */
record KafkaLogin(String username, String password) {

    /** The principal's user and password from {@code <NAME>_KAFKA_USERNAME} / {@code _PASSWORD}, as stack.env exports them. */
    static KafkaLogin fromEnvironment(KafkaPrincipal principal) {
        return new KafkaLogin(System.getenv().getOrDefault(principal.usernameVariable(), principal.name()),
                System.getenv().getOrDefault(principal.passwordVariable(), ""));
    }

    /** A client's settings on these bootstrap servers as this user; callers add their own. */
    Map<String, Object> clientSettings(String bootstrapServers) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (!password.isBlank()) {
            settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            settings.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
            settings.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"%s\" password=\"%s\";".formatted(username, password));
        }
        return settings;
    }

    @Override
    public String toString() {
        return "KafkaLogin[username=%s, password=***]".formatted(username);
    }
}
