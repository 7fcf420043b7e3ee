package com.su7.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The manifests under {@code deploy/} that the catalogs decide, written by the build's code rather than by hand, so the
 * cluster and the local stack cannot drift: {@code GeneratedManifestsTests} fails when a committed file differs from
 * what this writes. Committed, not written at deploy time, so that a platform's GitOps tooling (kustomize, Argo CD,
 * Flux) applies the repository as it is and a review sees every change to the cluster as a diff.
 */
public final class GeneratedManifests {

    /** The Strimzi resources, from the repository's root. */
    public static final Path KAFKA = Path.of("deploy", "base", "kafka");

    static final String REGENERATE = "./mvnw -q -pl deploy -am package -DskipTests && java -cp "
            + "\"$(cat deploy/target/classpath.txt):deploy/target/classes\" com.su7.deploy.GeneratedManifests";

    private GeneratedManifests() {
    }

    /** {@code java com.su7.deploy.GeneratedManifests [ROOT]}: (re)writes the files under ROOT (the repository's root by default). */
    public static void main(String[] args) throws IOException {
        Path root = args.length > 0 ? Path.of(args[0]) : Path.of("");
        for (Map.Entry<Path, String> file : render().entrySet()) {
            Files.writeString(root.resolve(file.getKey()), file.getValue());
            System.out.println("wrote " + root.resolve(file.getKey()));
        }
    }

    /** Each file, from the repository's root, with its content. */
    public static Map<Path, String> render() {
        return Map.of(
                KAFKA.resolve("topics.yaml"), document("every topic of the catalog (com.su7.contract.Topics) and its dead-letter twin",
                        StrimziResources.topics()),
                KAFKA.resolve("users.yaml"), document("every Kafka user with the ACLs the local stack grants (com.su7.localstack.KafkaPrincipal)",
                        StrimziResources.users()));
    }

    private static String document(String what, List<? extends HasMetadata> resources) {
        String header = """
                # Generated: %s. Do not edit by hand; regenerate from the repository's root:
                #   %s
                """.formatted(what, REGENERATE);
        return header + resources.stream().map(GeneratedManifests::yaml).collect(Collectors.joining());
    }

    private static String yaml(HasMetadata resource) {
        String yaml = Serialization.asYaml(resource);
        return yaml.startsWith("---") ? yaml : "---\n" + yaml;
    }
}
