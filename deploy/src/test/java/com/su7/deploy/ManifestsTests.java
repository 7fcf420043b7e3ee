package com.su7.deploy;

import com.su7.contract.TopicSpec;
import com.su7.contract.Topics;
import com.su7.localstack.KafkaPrincipal;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be known of the manifests without a cluster: each parses with its kind's model and has no field that
 * model does not know; the Strimzi resources are the catalogs' (every topic, partitions, retention, every ACL); the
 * probes and Services point at paths and ports the services serve, as their own configuration says under the pod's
 * environment; static membership, graceful shutdown, secrets by reference and the autoscalers' ceilings hold.
 */
class ManifestsTests {

    private static final List<String> KAFKA_SERVICES = List.of("orders-service", "production-service", "delivery-service");
    private static final List<String> SERVICES = Stream.concat(KAFKA_SERVICES.stream(), Stream.of("authorization-server", "ops-console")).toList();
    private static final Set<String> KINDS_WITHOUT_A_MODEL = Set.of("ScaledObject", "TriggerAuthentication", "Kustomization");

    private static Manifests manifests;

    @BeforeAll
    static void read() {
        manifests = Manifests.read();
    }

    @Test
    void everyManifestIsReadByTheModelOfItsKindWithNoFieldTheModelDoesNotKnow() {
        assertThat(manifests.resources()).isNotEmpty();
        for (Manifests.Located located : manifests.resources()) {
            HasMetadata resource = located.resource();
            if (resource instanceof GenericKubernetesResource generic) {
                assertThat(generic.getKind()).as("%s: a %s read as a generic resource", located.file(), generic.getKind())
                        .isIn(KINDS_WITHOUT_A_MODEL);
            } else {
                assertThat(unknownFields(resource, resource.getKind()))
                        .as("%s: fields %s does not know (a typo, or the wrong place)", located.file(), resource.getKind()).isEmpty();
            }
        }
        assertThat(manifests.all(KafkaTopic.class)).isNotEmpty();
        assertThat(manifests.all(StatefulSet.class)).hasSize(KAFKA_SERVICES.size());
    }

    @Test
    void theBaseKustomizationListsEveryManifestAndTheOverlayBuildsOnIt() throws IOException {
        Path base = Manifests.DEPLOY.resolve("base");
        Set<String> files;
        try (Stream<Path> walk = Files.walk(base)) {
            files = walk.filter(path -> path.toString().endsWith(".yaml") && !path.endsWith("kustomization.yaml"))
                    .map(path -> base.relativize(path).toString()).collect(Collectors.toSet());
        }
        assertThat(Set.copyOf(strings(kustomization(Path.of("base")).get("resources")))).isEqualTo(files);
        assertThat(strings(kustomization(Path.of("overlays", "launch")).get("resources"))).containsExactly("../../base");
    }

    @Test
    void thereIsAKafkaTopicForEveryTopicOfTheCatalogAndItsDeadLetterTwinAsTheCatalogDeclaresIt() {
        List<TopicSpec> catalog = Topics.ALL.stream().flatMap(spec -> Stream.of(spec, spec.deadLetter())).toList();
        Map<String, KafkaTopic> topics = manifests.all(KafkaTopic.class).stream()
                .collect(Collectors.toMap(topic -> topic.getSpec().getTopicName(), topic -> topic));

        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(catalog.stream().map(TopicSpec::name).toList());
        for (TopicSpec spec : catalog) {
            KafkaTopic topic = topics.get(spec.name());
            assertThat(topic.getMetadata().getLabels()).as(spec.name()).containsEntry("strimzi.io/cluster", StrimziResources.CLUSTER);
            assertThat(topic.getSpec().getPartitions()).as("%s partitions", spec.name()).isEqualTo(spec.partitions());
            assertThat(topic.getSpec().getReplicas()).as("%s replicas", spec.name()).isEqualTo(3);
            assertThat(Long.valueOf(String.valueOf(topic.getSpec().getConfig().get("retention.ms"))))
                    .as("%s retention.ms", spec.name()).isEqualTo(spec.retention().toMillis());
        }
    }

    @Test
    void everyKafkaUserHasAScramPasswordAndExactlyTheAclsTheLocalStackGrantsIt() {
        assertThat(manifests.all(KafkaUser.class)).extracting(user -> user.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(KafkaPrincipal.ALL.stream().map(KafkaPrincipal::name).toList());
        for (KafkaPrincipal principal : KafkaPrincipal.ALL) {
            KafkaUser user = manifests.named(KafkaUser.class, principal.name());
            assertThat(user.getSpec().getAuthentication()).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
            List<AclRule> rules = ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls();
            Set<String> granted = new HashSet<>();
            for (AclRule rule : rules) {
                assertThat(rule.getType()).isEqualTo(AclRuleType.ALLOW);
                assertThat(rule.getHost()).isEqualTo("*");
                rule.getOperations().forEach(operation -> granted.add(rule.getResource() + " " + operation));
            }
            Set<String> catalog = principal.acls().stream().map(ManifestsTests::asStrimziGrant).collect(Collectors.toSet());
            assertThat(granted).as("what %s may do", principal.name()).isEqualTo(catalog);
        }
    }

    @Test
    void kafkaRunsInKraftOnThreeBrokersAndAcknowledgesAWriteOnTwoOfThem() {
        Kafka kafka = manifests.named(Kafka.class, StrimziResources.CLUSTER);
        assertThat(kafka.getSpec().getZookeeper()).isNull();
        assertThat(kafka.getSpec().getKafka().getConfig())
                .containsEntry("min.insync.replicas", 2)
                .containsEntry("default.replication.factor", 3)
                .containsEntry("offsets.topic.replication.factor", 3)
                .containsEntry("auto.create.topics.enable", false);
        List<KafkaNodePool> pools = manifests.all(KafkaNodePool.class);
        assertThat(pools).allSatisfy(pool -> assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", StrimziResources.CLUSTER));
        assertThat(replicasWithRole(pools, ProcessRoles.BROKER)).isEqualTo(3);
        assertThat(replicasWithRole(pools, ProcessRoles.CONTROLLER)).isEqualTo(3);

        // The services reach it where the listener is, as the listener wants: TLS and SCRAM-SHA-512.
        Map<String, String> platform = manifests.named(ConfigMap.class, "su7-platform").getData();
        GenericKafkaListener listener = kafka.getSpec().getKafka().getListeners().stream()
                .filter(candidate -> platform.get("KAFKA_BOOTSTRAP_SERVERS").equals("%s-kafka-bootstrap:%d".formatted(StrimziResources.CLUSTER, candidate.getPort())))
                .findFirst().orElseThrow(() -> new AssertionError("no listener at " + platform.get("KAFKA_BOOTSTRAP_SERVERS")));
        assertThat(listener.isTls()).isTrue();
        assertThat(listener.getAuth()).isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
        assertThat(platform).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL").containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    }

    @Test
    void probesAndServicesPointAtThePathsAndPortsTheServicesServeUnderTheirPodsEnvironment() {
        for (String service : SERVICES) {
            PodTemplateSpec pod = podTemplate(service);
            Container container = container(pod, service);
            ServiceConfiguration configuration = new ServiceConfiguration(service, environment(container));
            Set<String> served = configuration.healthPaths();
            List<Probe> probes = Stream.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe()).toList();
            assertThat(probes).as("%s has a startup, a liveness and a readiness probe", service).doesNotContainNull();
            for (Probe probe : probes) {
                HTTPGetAction get = probe.getHttpGet();
                assertThat(served).as("%s serves %s", service, get.getPath()).contains(get.getPath());
                assertThat(port(container, get.getPort())).as("%s's actuator port", service).isEqualTo(configuration.actuatorPort());
            }
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).endsWith("/readiness");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).endsWith("/liveness");

            Service http = manifests.named(Service.class, service);
            assertThat(http.getSpec().getSelector()).isEqualTo(pod.getMetadata().getLabels().entrySet().stream()
                    .filter(label -> label.getKey().equals("app.kubernetes.io/name"))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            http.getSpec().getPorts().forEach(port -> assertThat(port(container, port.getTargetPort()))
                    .as("%s's Service sends to its server port", service).isEqualTo(configuration.serverPort()));
        }
    }

    /**
     * The console's login, as a browser on a port-forward meets it: sent to the server's loopback port to log in, back to
     * the console's with a code at the redirect the server registered for it; the console trades the code with the server
     * by its name in the cluster, which is its tokens' iss; both sides read the client's secret from the same Secret.
     */
    @Test
    void theConsoleLogsOpsInThroughTheAuthorizationServerAsTheServerRegistersIt() {
        Container console = container(podTemplate("ops-console"), "ops-console");
        Container server = container(podTemplate("authorization-server"), "authorization-server");
        ServiceConfiguration consoleConfiguration = new ServiceConfiguration("ops-console", environment(console));
        Map<String, Object> serverEnvironment = environment(server);
        int consolePort = manifests.named(Service.class, "ops-console").getSpec().getPorts().getFirst().getPort();
        int serverPort = manifests.named(Service.class, "authorization-server").getSpec().getPorts().getFirst().getPort();

        assertThat(consoleConfiguration.property("spring.security.oauth2.client.provider.su7.issuer-uri"))
                .isEqualTo(serverEnvironment.get("OAUTH2_ISSUER_URI"))
                .isEqualTo("http://authorization-server:%d".formatted(serverPort));
        assertThat(consoleConfiguration.property("spring.security.oauth2.client.provider.su7.authorization-uri"))
                .isEqualTo("http://127.0.0.1:%d/oauth2/authorize".formatted(serverPort));
        String registration = consoleConfiguration.property("spring.security.oauth2.client.registration.su7.redirect-uri")
                .replace("{baseUrl}", "http://127.0.0.1:" + consolePort).replace("{registrationId}", "su7");
        assertThat(serverEnvironment.get("SU7_AUTHORIZATION_CLIENTS_CONSOLE_REDIRECTURIS")).isEqualTo(registration);
        assertThat(serverEnvironment.get("SU7_AUTHORIZATION_CLIENTS_CONSOLE_POSTLOGOUTREDIRECTURIS")).isEqualTo(
                consoleConfiguration.property("su7.console.post-logout-redirect-uri").replace("{baseUrl}", "http://127.0.0.1:" + consolePort));
        assertThat(secretOf(console, "SU7_CONSOLE_CLIENT_SECRET")).isEqualTo(secretOf(server, "SU7_AUTHORIZATION_CLIENTS_CONSOLE_SECRET"));
        assertThat(secretOf(server, "SU7_AUTHORIZATION_USERS_OPS_PASSWORD")).isNotNull();
        assertThat(serverEnvironment).containsEntry("SU7_AUTHORIZATION_USERS_OPS_ROLES", "OPS");
        for (String service : KAFKA_SERVICES) {
            assertThat(consoleConfiguration.property("su7.console.services." + service.substring(0, service.indexOf("-service"))))
                    .isEqualTo("http://%s:%d".formatted(service, manifests.named(Service.class, service).getSpec().getPorts().getFirst().getPort()));
        }
    }

    @Test
    void theLaunchOverlayPinsTheImageOfEveryWorkload() {
        Set<String> images = SERVICES.stream().map(service -> container(podTemplate(service), service).getImage().split(":")[0])
                .collect(Collectors.toSet());
        List<?> pinned = (List<?>) kustomization(Path.of("overlays", "launch")).get("images");
        assertThat(pinned.stream().map(image -> (String) map(image).get("name")).collect(Collectors.toSet())).isEqualTo(images);
    }

    @Test
    void kafkaConsumersAreStaticMembersNamedAfterTheirPodWithASessionThatOutlastsARestart() {
        for (String service : KAFKA_SERVICES) {
            Container container = container(podTemplate(service), service);
            Map<String, EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, var -> var));
            assertThat(env.get("SPRING_KAFKA_CONSUMER_PROPERTIES_GROUP_INSTANCE_ID").getValue()).isEqualTo("$(POD_NAME)");
            assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
            ServiceConfiguration configuration = new ServiceConfiguration(service, environment(container));
            assertThat(configuration.property("spring.kafka.consumer.properties.session.timeout.ms"))
                    .as("%s's session", service).isNotNull().satisfies(timeout -> assertThat(Integer.parseInt(timeout)).isGreaterThanOrEqualTo(30_000));
        }
    }

    @Test
    void podsGetMoreTimeToStopThanSpringTakesToShutDownGracefully() {
        for (String service : SERVICES) {
            PodTemplateSpec pod = podTemplate(service);
            Container container = container(pod, service);
            ServiceConfiguration configuration = new ServiceConfiguration(service, environment(container));
            assertThat(configuration.property("server.shutdown")).as(service).isEqualTo("graceful");
            long phase = DurationStyle.detectAndParse(configuration.property("spring.lifecycle.timeout-per-shutdown-phase")).toSeconds();
            List<String> preStop = container.getLifecycle().getPreStop().getExec().getCommand();
            assertThat(preStop.getFirst()).isEqualTo("sleep");
            long pause = Long.parseLong(preStop.get(1));
            // The web server's drain and the listeners' stop are two phases.
            assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).as(service).isGreaterThan(pause + 2 * phase);
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).containsKey("memory");
        }
    }

    @Test
    void noSecretIsInTheRepositoryAndEveryReferencedConfigMapIs() {
        assertThat(manifests.resources()).noneSatisfy(located -> assertThat(located.resource().getKind()).isEqualTo("Secret"));
        Pattern secretName = Pattern.compile("PASSWORD|SECRET|TOKEN");
        manifests.all(ConfigMap.class).forEach(map -> assertThat(map.getData().keySet())
                .as("ConfigMap %s", map.getMetadata().getName()).noneMatch(key -> secretName.matcher(key).find()));
        for (String service : SERVICES) {
            Container container = container(podTemplate(service), service);
            container.getEnv().stream().filter(var -> secretName.matcher(var.getName()).find())
                    .forEach(var -> assertThat(var.getValueFrom().getSecretKeyRef()).as("%s's %s", service, var.getName()).isNotNull());
            container.getEnvFrom().forEach(source -> manifests.named(ConfigMap.class, source.getConfigMapRef().getName()));
        }
    }

    @Test
    void aDisruptionBudgetCoversEveryService() {
        for (String service : SERVICES) {
            PodDisruptionBudget budget = manifests.named(PodDisruptionBudget.class, service);
            assertThat(podTemplate(service).getMetadata().getLabels()).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
            assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        }
    }

    @Test
    void eachServiceScalesOnTheLagOfEveryConsumerGroupItRunsUpToOnePodPerPartition() throws IOException {
        for (String service : KAFKA_SERVICES) {
            KafkaPrincipal principal = principal(service);
            GenericKubernetesResource scaled = manifests.generic("ScaledObject").stream()
                    .filter(resource -> resource.getMetadata().getName().equals(service)).findFirst().orElseThrow();
            Map<String, Object> spec = map(scaled.getAdditionalProperties().get("spec"));
            assertThat(map(spec.get("scaleTargetRef"))).containsEntry("kind", "StatefulSet").containsEntry("name", service);
            int partitions = principal.consumes().stream().mapToInt(topic -> spec(topic).partitions()).min().orElseThrow();
            assertThat(spec.get("maxReplicaCount")).as("%s's ceiling", service).isEqualTo(partitions);

            Map<String, String> triggers = new HashMap<>();
            for (Object trigger : (List<?>) spec.get("triggers")) {
                Map<String, Object> metadata = map(map(trigger).get("metadata"));
                assertThat(map(trigger)).containsEntry("type", "kafka");
                assertThat(metadata).containsEntry("offsetResetPolicy", "earliest").containsEntry("sasl", "scram_sha512");
                triggers.put((String) metadata.get("consumerGroup"), (String) metadata.get("topic"));
            }
            assertThat(triggers).as("%s's consumer groups and their topics", service).isEqualTo(listenerGroups(service));
            assertThat(triggers.values()).containsExactlyInAnyOrderElementsOf(principal.consumes());
        }
    }

    // --- how the services read their pods and their code

    private static PodTemplateSpec podTemplate(String service) {
        return manifests.all(StatefulSet.class).stream().filter(set -> set.getMetadata().getName().equals(service))
                .map(set -> set.getSpec().getTemplate()).findFirst()
                .orElseGet(() -> manifests.named(Deployment.class, service).getSpec().getTemplate());
    }

    private static Container container(PodTemplateSpec pod, String service) {
        return pod.getSpec().getContainers().stream().filter(container -> container.getName().equals(service)).findFirst().orElseThrow();
    }

    /** The container's environment as the service sees it: its ConfigMaps, then its own variables (secrets as placeholders). */
    private static Map<String, Object> environment(Container container) {
        Map<String, Object> environment = new HashMap<>();
        container.getEnvFrom().forEach(source -> environment.putAll(manifests.named(ConfigMap.class, source.getConfigMapRef().getName()).getData()));
        container.getEnv().forEach(var -> environment.put(var.getName(), var.getValue() != null ? var.getValue() : "<%s>".formatted(var.getName())));
        return environment;
    }

    private static int port(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(candidate -> port.getStrVal().equals(candidate.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("%s has no port named %s".formatted(container.getName(), port.getStrVal())));
    }

    private static String secretOf(Container container, String variable) {
        return container.getEnv().stream().filter(var -> var.getName().equals(variable)).findFirst()
                .map(var -> var.getValueFrom().getSecretKeyRef().getName() + "/" + var.getValueFrom().getSecretKeyRef().getKey())
                .orElseThrow(() -> new AssertionError("%s has no %s".formatted(container.getName(), variable)));
    }

    private static KafkaPrincipal principal(String service) {
        String name = service.substring(0, service.indexOf("-service"));
        return KafkaPrincipal.ALL.stream().filter(principal -> principal.name().equals(name)).findFirst().orElseThrow();
    }

    private static TopicSpec spec(String topic) {
        return Topics.ALL.stream().filter(spec -> spec.name().equals(topic)).findFirst().orElseThrow();
    }

    private static final Pattern LISTENER_GROUP = Pattern.compile("CONSUMER = \"([^\"]+)\"");
    private static final Pattern LISTENER_TOPIC = Pattern.compile("@KafkaListener\\([^)]*topics = Topics\\.(\\w+)");

    /** Each listener's group (its id, the house's convention) and topic, as the service's code names them. */
    private static Map<String, String> listenerGroups(String service) throws IOException {
        Map<String, String> groups = new HashMap<>();
        try (Stream<Path> sources = Files.walk(GeneratedManifestsTests.REPOSITORY.resolve(service).resolve("src/main/java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                String code = Files.readString(source);
                Matcher topic = LISTENER_TOPIC.matcher(code);
                if (topic.find()) {
                    Matcher group = LISTENER_GROUP.matcher(code);
                    assertThat(group.find()).as("%s names its group in CONSUMER", source).isTrue();
                    groups.put(group.group(1), topicNamed(topic.group(1)));
                }
            }
        }
        assertThat(groups).as("%s's listeners", service).isNotEmpty();
        return groups;
    }

    private static String topicNamed(String constant) {
        try {
            return (String) Topics.class.getField(constant).get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Topics has no " + constant, e);
        }
    }

    private static int replicasWithRole(List<KafkaNodePool> pools, ProcessRoles role) {
        return pools.stream().filter(pool -> pool.getSpec().getRoles().contains(role)).mapToInt(pool -> pool.getSpec().getReplicas()).sum();
    }

    /** A catalog ACL in the words the KafkaUser's rules use. */
    private static String asStrimziGrant(AclBinding acl) {
        return StrimziResources.resource(acl.pattern()) + " " + StrimziResources.operation(acl);
    }

    private static Map<String, Object> kustomization(Path directory) {
        return manifests.resources().stream().filter(located -> located.file().equals(directory.resolve("kustomization.yaml")))
                .map(located -> ((GenericKubernetesResource) located.resource()).getAdditionalProperties()).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static List<String> strings(Object value) {
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }

    /** Paths of fields the model did not know: what landed in an additionalProperties map anywhere in the object. */
    private static List<String> unknownFields(Object value, String path) {
        List<String> unknown = new ArrayList<>();
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>) {
            return unknown;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                unknown.addAll(unknownFields(item, path + "[" + index++ + "]"));
            }
            return unknown;
        }
        if (value instanceof Map<?, ?> entries) {
            entries.forEach((key, item) -> unknown.addAll(unknownFields(item, path + "." + key)));
            return unknown;
        }
        if (!value.getClass().getName().startsWith("io.fabric8") && !value.getClass().getName().startsWith("io.strimzi")) {
            return unknown;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
                continue;
            }
            try {
                Object field = getter.invoke(value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (field instanceof Map<?, ?> extra) {
                        extra.keySet().forEach(key -> unknown.add(path + "." + key));
                    }
                } else if (field != value) {
                    unknown.addAll(unknownFields(field, path + "." + getter.getName().replaceFirst("^(get|is)", "")));
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // a computed getter that needs state the model does not have (the CustomResource's plural, ...)
            }
        }
        return unknown;
    }
}
