package com.su7.localstack;

import com.su7.contract.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A Kafka user of the system and what its ACLs let it do, derived from the topic catalog: a service writes
 * what it publishes and the dead letters of what it consumes, declares its topics (and their dead-letter
 * twins, and keeps their settings in line with the catalog), reads what it consumes and reads back what it
 * publishes (a projection rebuild replays its own events), in consumer groups named after it. Nothing else:
 * the broker denies what no ACL allows. docker-compose creates the same users and ACLs from the file
 * {@link KafkaAclFile} generates from this catalog.
 *
 * @param name        the SCRAM user name
 * @param publishes   topics it writes, declares and may read back
 * @param declares    further topics it declares but does not write (orders declares the app's request topic)
 * @param consumes    topics it reads
 * @param groupPrefix its consumer groups' common prefix; {@code null} for a producer only
 */
public record KafkaPrincipal(String name, List<String> publishes, List<String> declares, List<String> consumes,
                             String groupPrefix) {

    /** The broker's own user and the super user of tools and test probes. */
    public static final String ADMIN = "admin";

    public static final KafkaPrincipal ORDERS = new KafkaPrincipal("orders",
            List.of(Topics.PREORDER_PLACED, Topics.ETA_CHANGED, Topics.PREORDER_CANCELLED),
            List.of(Topics.PREORDER_REQUESTS), List.of(Topics.UNIT_BUILT, Topics.DELIVERY_SCHEDULED, Topics.PREORDER_REQUESTS), "orders");
    public static final KafkaPrincipal PRODUCTION = new KafkaPrincipal("production", List.of(Topics.UNIT_BUILT),
            List.of(), List.of(Topics.PREORDER_PLACED, Topics.DELIVERY_SCHEDULED, Topics.PREORDER_CANCELLED), "production");
    public static final KafkaPrincipal DELIVERY = new KafkaPrincipal("delivery", List.of(Topics.DELIVERY_SCHEDULED),
            List.of(), List.of(Topics.PREORDER_PLACED, Topics.UNIT_BUILT, Topics.PREORDER_CANCELLED), "delivery");
    /** The car app's backend (the launch simulation): it only writes preorder requests. */
    public static final KafkaPrincipal APP = new KafkaPrincipal("app", List.of(Topics.PREORDER_REQUESTS), List.of(), List.of(), null);

    /**
     * A notification service (the launch simulation plays one): it reads the customers' ETA changes in its own
     * consumer groups, nothing else. It keeps no dead letters on our cluster: what it cannot read is its own to handle.
     */
    public static final KafkaPrincipal NOTIFICATIONS = new KafkaPrincipal("notifications", List.of(), List.of(),
            List.of(Topics.ETA_CHANGED), "notifications");

    /**
     * Ops' view of the cluster (Kafka UI in docker-compose): it reads and describes the system's topics, sees every
     * consumer group and the brokers, and changes nothing. Groups get Describe only: Read on a group would let it
     * commit that group's offsets, i.e. move a service's position.
     */
    public static final KafkaPrincipal KAFKA_UI = new KafkaPrincipal("kafka-ui", List.of(), List.of(), List.of(), null);

    public static final List<KafkaPrincipal> ALL = List.of(ORDERS, PRODUCTION, DELIVERY, APP, NOTIFICATIONS, KAFKA_UI);

    /** The environment variable that holds its password (stack.env, docker-compose's .env): {@code KAFKA_UI_KAFKA_PASSWORD}. */
    public String passwordVariable() {
        return variablePrefix() + "_KAFKA_PASSWORD";
    }

    public String usernameVariable() {
        return variablePrefix() + "_KAFKA_USERNAME";
    }

    private String variablePrefix() {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** What the broker allows it: the local stack and docker-compose grant these, and deploy/'s KafkaUsers are generated from them. */
    public List<AclBinding> acls() {
        if (this == KAFKA_UI) {
            return observerAcls();
        }
        List<AclBinding> acls = new ArrayList<>();
        Stream.concat(publishes.stream(), this == NOTIFICATIONS ? Stream.empty() : consumes.stream().map(Topics::deadLetterOf)).distinct()
                .forEach(topic -> acls.add(allow(topic(topic), AclOperation.WRITE)));
        // The app's backend and notification services declare nothing of ours (orders declares their topics).
        if (this != APP && this != NOTIFICATIONS) {
            Stream.concat(publishes.stream(), declares.stream())
                    .flatMap(topic -> Stream.of(topic, Topics.deadLetterOf(topic)))
                    .forEach(topic -> Stream.of(AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
                            AclOperation.ALTER_CONFIGS).forEach(operation -> acls.add(allow(topic(topic), operation))));
            publishes.forEach(topic -> acls.add(allow(topic(topic), AclOperation.READ)));
        }
        consumes.forEach(topic -> acls.add(allow(topic(topic), AclOperation.READ)));
        if (groupPrefix != null) {
            acls.add(allow(new ResourcePattern(ResourceType.GROUP, groupPrefix, PatternType.PREFIXED), AclOperation.READ));
        }
        return acls;
    }

    private List<AclBinding> observerAcls() {
        List<AclBinding> acls = new ArrayList<>();
        Topics.ALL.stream().flatMap(spec -> Stream.of(spec.name(), Topics.deadLetterOf(spec.name())))
                .forEach(topic -> Stream.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS)
                        .forEach(operation -> acls.add(allow(topic(topic), operation))));
        acls.add(allow(new ResourcePattern(ResourceType.GROUP, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL), AclOperation.DESCRIBE));
        ResourcePattern cluster = new ResourcePattern(ResourceType.CLUSTER, Resource.CLUSTER_NAME, PatternType.LITERAL);
        acls.add(allow(cluster, AclOperation.DESCRIBE));
        acls.add(allow(cluster, AclOperation.DESCRIBE_CONFIGS));
        return acls;
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private AclBinding allow(ResourcePattern resource, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry("User:" + name, "*", operation, AclPermissionType.ALLOW));
    }
}
