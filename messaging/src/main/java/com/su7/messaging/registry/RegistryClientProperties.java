package com.su7.messaging.registry;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who this service calls the registry as, where the registry checks writes (docker-compose: Apicurio against the
 * authorization server): a client of the authorization server, sent as HTTP Basic, which the registry trades for a
 * token. None by default: the local stack's registry takes anonymous writes.
 *
 * @param id     the client id (docker-compose: the service's name, the owner of the subjects it registers)
 * @param secret its secret
 */
@ConfigurationProperties("su7.messaging.registry-client")
public record RegistryClientProperties(String id, String secret) {

    public static final RegistryClientProperties ANONYMOUS = new RegistryClientProperties(null, null);

    public RegistryClientProperties {
        if (isBlank(id) != isBlank(secret)) {
            throw new IllegalArgumentException("set both su7.messaging.registry-client.id and .secret "
                    + "(SU7_MESSAGING_REGISTRYCLIENT_ID and _SECRET), or neither");
        }
    }

    /** The value of the Authorization header, unless anonymous. */
    Optional<String> authorization() {
        return isBlank(id) ? Optional.empty() : Optional.of("Basic " + Base64.getEncoder()
                .encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    /** Without the secret: this may end up in a log. */
    @Override
    public String toString() {
        return "RegistryClientProperties[id=%s]".formatted(id);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
