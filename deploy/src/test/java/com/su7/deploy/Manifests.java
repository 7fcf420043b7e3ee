package com.su7.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every resource under {@code deploy/}, read with the models the API servers' own types are generated into: fabric8's
 * for Kubernetes, Strimzi's for its resources; kinds with no model on Maven Central (KEDA's, kustomize's) as generic
 * resources.
 */
record Manifests(List<Located> resources) {

    static final Path DEPLOY = GeneratedManifestsTests.REPOSITORY.resolve("deploy");

    record Located(Path file, HasMetadata resource) {
    }

    static Manifests read() {
        KubernetesSerialization serialization = new KubernetesSerialization();
        Stream.of(Kafka.class, KafkaNodePool.class, KafkaTopic.class, KafkaUser.class)
                .forEach(serialization::registerKubernetesResource);
        List<Located> resources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
                for (String document : documents(Files.readString(file))) {
                    resources.add(new Located(DEPLOY.relativize(file), serialization.unmarshal(document, HasMetadata.class)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Manifests(resources);
    }

    private static List<String> documents(String yaml) {
        return Arrays.stream(yaml.split("(?m)^---\\s*$")).filter(document -> document.lines()
                .anyMatch(line -> !line.isBlank() && !line.startsWith("#"))).toList();
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().map(Located::resource).filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> generic(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(resource -> resource.getKind().equals(kind)).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(resource -> resource.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no %s %s under deploy/".formatted(type.getSimpleName(), name)));
    }
}
