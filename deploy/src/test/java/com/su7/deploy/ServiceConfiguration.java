package com.su7.deploy;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A service's configuration as Spring Boot resolves it in a pod: its {@code application.yml}, what that imports (the
 * shared {@code su7-actuator.yml}), under the pod's environment (relaxed binding: {@code SERVER_PORT} is
 * {@code server.port}). It answers which port and which actuator paths the service serves.
 */
final class ServiceConfiguration {

    private static final Path REPOSITORY = GeneratedManifestsTests.REPOSITORY;
    private static final Map<String, Path> IMPORTS = Map.of(
            "classpath:su7-actuator.yml", REPOSITORY.resolve("messaging/src/main/resources/su7-actuator.yml"),
            "classpath:su7/tracing.yml", REPOSITORY.resolve("messaging/src/main/resources/su7/tracing.yml"));

    private final StandardEnvironment environment = new StandardEnvironment();

    ServiceConfiguration(String module, Map<String, Object> podEnvironment) {
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, podEnvironment));
        List<PropertySource<?>> application = load(REPOSITORY.resolve(module).resolve("src/main/resources/application.yml"));
        application.forEach(sources::addLast);
        // A list or a comma-separated string alike, as Spring Boot binds it.
        List<String> imports = Binder.get(environment).bind("spring.config.import", Bindable.listOf(String.class)).orElse(List.of());
        for (String location : imports) {
            Path file = IMPORTS.get(location.trim());
            if (file == null) {
                throw new IllegalStateException("%s imports %s, which this test does not know where to find".formatted(module, location));
            }
            load(file).forEach(sources::addLast);
        }
    }

    private static List<PropertySource<?>> load(Path file) {
        try {
            return new ArrayList<>(new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the actuator answers: the management port if one is set, else the server's. */
    int actuatorPort() {
        return environment.getProperty("management.server.port", Integer.class,
                environment.getProperty("server.port", Integer.class, 8080));
    }

    int serverPort() {
        return environment.getProperty("server.port", Integer.class, 8080);
    }

    /** The health paths it serves: the endpoint, its probe groups where probes are on, and every configured group. */
    Set<String> healthPaths() {
        Set<String> exposed = Arrays.stream(environment.getProperty("management.endpoints.web.exposure.include", "health")
                .split(",")).map(String::trim).collect(Collectors.toSet());
        if (!exposed.contains("health") && !exposed.contains("*")) {
            return Set.of();
        }
        String health = environment.getProperty("management.endpoints.web.base-path", "/actuator") + "/health";
        Stream<String> probes = environment.getProperty("management.endpoint.health.probes.enabled", Boolean.class, false)
                ? Stream.of("liveness", "readiness") : Stream.empty();
        Stream<String> groups = environment.getPropertySources().stream()
                .filter(source -> source instanceof org.springframework.core.env.EnumerablePropertySource<?>)
                .flatMap(source -> Arrays.stream(((org.springframework.core.env.EnumerablePropertySource<?>) source).getPropertyNames()))
                .filter(name -> name.startsWith("management.endpoint.health.group."))
                .map(name -> name.substring("management.endpoint.health.group.".length()).split("\\.")[0]);
        return Stream.concat(Stream.of(health), Stream.concat(probes, groups).map(group -> health + "/" + group))
                .collect(Collectors.toSet());
    }

    /** As Spring Boot binds it: {@code SPRING_SECURITY_..._AUTHORIZATIONURI} is {@code ...authorization-uri} too. */
    String property(String name) {
        return Binder.get(environment).bind(name, String.class).orElse(null);
    }
}
