package com.su7.messaging.registry;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry client calls as the configured client of the authorization server, or anonymously. (That Apicurio
 * with docker-compose's settings takes these credentials for writes and refuses anonymous ones is a property of the
 * registry's configuration, not of this code; here a plain HTTP server records what arrives.)
 */
class ConfluentRegistryClientTests {

    private HttpServer registry;
    private final List<Optional<String>> authorizations = new ArrayList<>();

    @BeforeEach
    void startARecordingRegistry() throws IOException {
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/", exchange -> {
            authorizations.add(Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"compatibilityLevel\":\"BACKWARD\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
    }

    @Test
    void callsWithTheClientsCredentialsWhenConfigured() {
        new ConfluentRegistryClient(api(), new RegistryClientProperties("orders", "a-generated-secret")).setCompatibility("s-value", "BACKWARD");

        assertThat(authorizations).containsExactly(Optional.of("Basic " + Base64.getEncoder()
                .encodeToString("orders:a-generated-secret".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void callsAnonymouslyByDefault() {
        new ConfluentRegistryClient(api()).globalCompatibility();
        new ConfluentRegistryClient(api(), bind(Map.of())).globalCompatibility();

        assertThat(authorizations).containsExactly(Optional.empty(), Optional.empty());
    }

    @Test
    void takesTheClientFromTheEnvironmentVariablesComposeSets() {
        RegistryClientProperties client = bind(Map.of("SU7_MESSAGING_REGISTRYCLIENT_ID", "production",
                "SU7_MESSAGING_REGISTRYCLIENT_SECRET", "another-secret"));

        assertThat(client).isEqualTo(new RegistryClientProperties("production", "another-secret"));
    }

    @Test
    void refusesAnIdWithoutItsSecret() {
        assertThatThrownBy(() -> new RegistryClientProperties("orders", " "))
                .hasMessageContaining("set both su7.messaging.registry-client.id and .secret");
    }

    @Test
    void keepsTheSecretOutOfItsText() {
        assertThat(new RegistryClientProperties("orders", "a-generated-secret").toString()).doesNotContain("a-generated-secret");
    }

    private URI api() {
        return URI.create("http://127.0.0.1:%d/apis/ccompat/v7".formatted(registry.getAddress().getPort()));
    }

    private static RegistryClientProperties bind(Map<String, Object> environment) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
        return new Binder(ConfigurationPropertySources.from(sources))
                .bindOrCreate("su7.messaging.registry-client", RegistryClientProperties.class);
    }
}
