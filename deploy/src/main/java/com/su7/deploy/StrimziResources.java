package com.su7.deploy;

import com.su7.contract.TopicSpec;
import com.su7.contract.Topics;
import com.su7.localstack.KafkaPrincipal;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserBuilder;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleBuilder;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResourceBuilder;
import io.strimzi.api.kafka.model.user.acl.AclRuleResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResourceBuilder;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.utils.SecurityUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Strimzi resources the catalogs decide: a {@code KafkaTopic} for every topic of {@link Topics} and its dead-letter
 * twin (partitions, retention), a {@code KafkaUser} for every {@link KafkaPrincipal} with exactly the ACLs the local
 * stack and docker-compose grant it.
 */
public final class StrimziResources {

    /** The {@code Kafka} resource's name (deploy/base/kafka/kafka.yaml): the operators act on resources labelled with it. */
    public static final String CLUSTER = "su7";
    public static final int REPLICAS = 3;

    private static final Map<String, String> CLUSTER_LABEL = Map.of("strimzi.io/cluster", CLUSTER);

    private StrimziResources() {
    }

    public static List<KafkaTopic> topics() {
        return Topics.ALL.stream().flatMap(spec -> Stream.of(spec, spec.deadLetter())).map(StrimziResources::topic).toList();
    }

    public static List<KafkaUser> users() {
        return KafkaPrincipal.ALL.stream().map(StrimziResources::user).toList();
    }

    /** A Kubernetes name is lower case: the topic's own name, which may not be ({@code .DLT}), is its topicName. */
    public static String resourceName(String topic) {
        return topic.toLowerCase(Locale.ROOT);
    }

    private static KafkaTopic topic(TopicSpec spec) {
        return new KafkaTopicBuilder()
                .withNewMetadata().withName(resourceName(spec.name())).withLabels(CLUSTER_LABEL).endMetadata()
                .withNewSpec()
                .withTopicName(spec.name())
                .withPartitions(spec.partitions())
                .withReplicas(REPLICAS)
                .withConfig(Map.of("retention.ms", spec.retention().toMillis()))
                .endSpec()
                .build();
    }

    private static KafkaUser user(KafkaPrincipal principal) {
        return new KafkaUserBuilder()
                .withNewMetadata().withName(principal.name()).withLabels(CLUSTER_LABEL).endMetadata()
                .withNewSpec()
                .withAuthentication(new KafkaUserScramSha512ClientAuthentication())
                .withNewKafkaUserAuthorizationSimple().withAcls(rules(principal.acls())).endKafkaUserAuthorizationSimple()
                .endSpec()
                .build();
    }

    /** One rule per resource with all its operations, in the catalog's order. */
    private static List<AclRule> rules(List<AclBinding> acls) {
        Map<ResourcePattern, List<AclOperation>> operations = new LinkedHashMap<>();
        acls.forEach(acl -> operations.computeIfAbsent(acl.pattern(), pattern -> new ArrayList<>()).add(operation(acl)));
        return operations.entrySet().stream()
                .map(entry -> new AclRuleBuilder().withType(AclRuleType.ALLOW).withHost("*")
                        .withResource(resource(entry.getKey())).withOperations(entry.getValue()).build())
                .toList();
    }

    static AclRuleResource resource(ResourcePattern pattern) {
        AclResourcePatternType patternType = pattern.patternType() == PatternType.PREFIXED
                ? AclResourcePatternType.PREFIX : AclResourcePatternType.LITERAL;
        return switch (pattern.resourceType()) {
            case TOPIC -> new AclRuleTopicResourceBuilder().withName(pattern.name()).withPatternType(patternType).build();
            case GROUP -> new AclRuleGroupResourceBuilder().withName(pattern.name()).withPatternType(patternType).build();
            case CLUSTER -> new AclRuleClusterResource();
            default -> throw new IllegalArgumentException("no Strimzi ACL resource for %s".formatted(pattern));
        };
    }

    /** Kafka's operation names as Strimzi spells them: Write, DescribeConfigs, ... */
    static AclOperation operation(AclBinding acl) {
        String name = SecurityUtils.operationName(acl.entry().operation());
        AclOperation operation = AclOperation.forValue(name);
        if (operation == null) {
            throw new IllegalArgumentException("no Strimzi ACL operation %s".formatted(name));
        }
        return operation;
    }
}
