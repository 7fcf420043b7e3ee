package com.su7.messaging.kafka;

import com.su7.contract.TopicSpec;
import com.su7.contract.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.kafka.config.TopicBuilder;

import java.util.List;
import java.util.stream.Stream;

/**
 * The producing service declares its topics, each with its dead-letter twin (same partition count, so a dead
 * letter keeps its partition number).
 */
public final class TopicDeclarations {

    private TopicDeclarations() {
    }

    public static List<NewTopic> withDeadLetters(List<String> topicNames, int replicas) {
        return topicNames.stream()
                .map(TopicDeclarations::spec)
                .flatMap(spec -> Stream.of(spec, spec.deadLetter()))
                .map(spec -> TopicBuilder.name(spec.name())
                        .partitions(spec.partitions())
                        .replicas(replicas)
                        .config(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(spec.retention().toMillis()))
                        .build())
                .toList();
    }

    private static TopicSpec spec(String name) {
        return Topics.ALL.stream().filter(spec -> spec.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("%s is not in the topic catalog".formatted(name)));
    }
}
