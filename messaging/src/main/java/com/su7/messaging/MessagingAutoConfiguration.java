package com.su7.messaging;

import com.su7.messaging.kafka.KafkaClientSettings;
import com.su7.messaging.kafka.TopicDeclarations;
import com.su7.messaging.registry.ConfluentRegistryClient;
import com.su7.messaging.registry.SchemaRegistration;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/** What every service gets from this module: registered schemas, declared topics and configured serdes. */
@AutoConfiguration
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingAutoConfiguration {

    @Bean
    ConfluentRegistryClient confluentRegistryClient(MessagingProperties properties) {
        return new ConfluentRegistryClient(properties.confluentApi());
    }

    @Bean
    SchemaRegistration schemaRegistration(ConfluentRegistryClient registry, MessagingProperties properties) {
        return new SchemaRegistration(registry, properties);
    }

    @Bean
    KafkaAdmin.NewTopics producedTopics(MessagingProperties properties) {
        return new KafkaAdmin.NewTopics(TopicDeclarations.withDeadLetters(properties.produces(), properties.topicReplicas())
                .toArray(NewTopic[]::new));
    }

    @Bean
    DefaultKafkaProducerFactoryCustomizer avroProducerSettings(MessagingProperties properties) {
        return factory -> factory.updateConfigs(KafkaClientSettings.avroProducer(properties));
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer avroConsumerSettings(MessagingProperties properties) {
        return factory -> factory.updateConfigs(KafkaClientSettings.avroConsumer(properties));
    }
}
