package com.su7.orders.config;

import com.su7.contract.Topics;
import com.su7.messaging.MessagingProperties;
import com.su7.messaging.kafka.TopicDeclarations;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import java.util.List;

/**
 * The app's backend writes JSON to {@code app.preorder-requests} and has no Kafka admin of ours: orders-service,
 * its only consumer, declares the topic and its dead letters. (Not under {@code su7.messaging.produces}, which also
 * registers Avro schemas: this topic carries JSON.)
 */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfiguration {

    @Bean
    KafkaAdmin.NewTopics preorderRequestTopics(MessagingProperties messaging) {
        return new KafkaAdmin.NewTopics(TopicDeclarations.withDeadLetters(List.of(Topics.PREORDER_REQUESTS), messaging.topicReplicas())
                .toArray(NewTopic[]::new));
    }
}
