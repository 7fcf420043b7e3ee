package com.su7.messaging;

import com.su7.contract.FactoryCalendar;
import com.su7.messaging.chore.PeriodicChore;
import com.su7.messaging.count.KeptCountProperties;
import com.su7.messaging.count.KeptCounts;
import com.su7.messaging.deadletter.DeadLetterGauges;
import com.su7.messaging.deadletter.DeadLetterProperties;
import com.su7.messaging.deadletter.DeadLetterStore;
import com.su7.messaging.deadletter.DeadLetterTopicCopies;
import com.su7.messaging.deadletter.Redrives;
import com.su7.messaging.inbox.AvroEventDecoder;
import com.su7.messaging.inbox.EventInbox;
import com.su7.messaging.inbox.PartitionsRead;
import com.su7.messaging.inbox.InboxProperties;
import com.su7.messaging.inbox.ProcessedEvents;
import com.su7.messaging.inbox.ProcessedEventsCleanup;
import com.su7.messaging.inbox.RedeliverAfterBackOff;
import com.su7.messaging.kafka.ConsumerGroupRenames;
import com.su7.messaging.kafka.KafkaClientSettings;
import com.su7.messaging.kafka.TopicDeclarations;
import com.su7.messaging.outbox.Outbox;
import com.su7.messaging.outbox.OutboxProperties;
import com.su7.messaging.outbox.OutboxBacklog;
import com.su7.messaging.outbox.OutboxRelay;
import com.su7.messaging.outbox.SetAsideRows;
import com.su7.messaging.registry.ConfluentRegistryClient;
import com.su7.messaging.registry.RegistryClientProperties;
import com.su7.messaging.registry.SchemaRegistration;
import com.su7.messaging.tracing.Traces;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.Map;

/**
 * What every service gets from this module: its schemas registered and topics declared at start-up, Avro
 * serdes in the Confluent wire format, the transactional outbox and its relay, idempotent batch consumption with
 * dead letters, and the trace of every event across them.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration",
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"})
@EnableConfigurationProperties({MessagingProperties.class, OutboxProperties.class, InboxProperties.class,
        DeadLetterProperties.class, CalendarProperties.class, RegistryClientProperties.class, KeptCountProperties.class})
public class MessagingAutoConfiguration {

    /** The system clock unless a test or simulation supplies its own. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    FactoryCalendar factoryCalendar(CalendarProperties properties) {
        return properties.calendar();
    }

    /** Without a tracer (tracing off: {@code management.tracing.enabled=false}) events travel without a trace. */
    @Bean
    @ConditionalOnMissingBean
    Traces traces(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new Traces(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean
    ConfluentRegistryClient confluentRegistryClient(MessagingProperties properties, RegistryClientProperties client) {
        return new ConfluentRegistryClient(properties.confluentApi(), client);
    }

    @Bean
    @ConditionalOnMissingBean
    SchemaRegistration schemaRegistration(ConfluentRegistryClient registry, MessagingProperties properties) {
        return new SchemaRegistration(registry, properties);
    }

    @Bean
    KafkaAdmin.NewTopics producedTopics(MessagingProperties properties) {
        return new KafkaAdmin.NewTopics(TopicDeclarations.withDeadLetters(properties.produces(), properties.topicReplicas())
                .toArray(NewTopic[]::new));
    }

    @Bean
    ConsumerGroupRenames consumerGroupRenames(MessagingProperties properties, KafkaAdmin kafkaAdmin,
                                              ObjectProvider<KafkaListenerEndpointRegistry> listeners) {
        return new ConsumerGroupRenames(properties.formerConsumerGroups(), kafkaAdmin, listeners);
    }

    /** A topic that exists already gets the catalog's settings (its retention) too, not only a new one. */
    @Bean
    static BeanPostProcessor topicSettingsFollowTheCatalog() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof KafkaAdmin admin) {
                    admin.setModifyTopicConfigs(true);
                }
                return bean;
            }
        };
    }

    @Bean
    DefaultKafkaProducerFactoryCustomizer avroProducerSettings(MessagingProperties properties) {
        return factory -> factory.updateConfigs(KafkaClientSettings.avroProducer(properties));
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer rawBytesConsumerSettings() {
        return factory -> factory.updateConfigs(KafkaClientSettings.rawBytesConsumer(factory.getConfigurationProperties()));
    }

    /** Depends on {@link SchemaRegistration} so no event is sent before its schema is registered. */
    @Bean
    @ConditionalOnMissingBean
    OutboxRelay outboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, ProducerFactory<?, ?> producerFactory,
                            OutboxProperties properties, ConfluentRegistryClient registry, MeterRegistry meters,
                            Traces traces, SchemaRegistration registeredFirst) {
        // Rows go out as they were written (the wire header and their bytes): same producer settings, raw values.
        ProducerFactory<String, byte[]> rawBytes = rawBytes(producerFactory);
        return new OutboxRelay(jdbc, transactions, new KafkaTemplate<>(rawBytes), properties, registry, maxRequestSize(rawBytes), meters,
                traces);
    }

    @Bean
    @ConditionalOnMissingBean
    Outbox outbox(JdbcTemplate jdbc, OutboxRelay relay, SchemaRegistration registration, Traces traces) {
        return new Outbox(jdbc, relay, registration, traces);
    }

    @Bean
    @ConditionalOnMissingBean
    SetAsideRows setAsideRows(JdbcTemplate jdbc, OutboxRelay relay) {
        return new SetAsideRows(jdbc, relay);
    }

    @Bean
    @ConditionalOnMissingBean
    OutboxBacklog outboxBacklog(JdbcTemplate jdbc, MeterRegistry meters) {
        return new OutboxBacklog(jdbc, meters);
    }

    @Bean
    @ConditionalOnMissingBean(name = "outboxBacklogMeasure")
    PeriodicChore outboxBacklogMeasure(OutboxBacklog backlog, OutboxProperties properties) {
        return PeriodicChore.fromStartEvery(properties.measureInterval(), "outbox-backlog", backlog::measure);
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessedEvents processedEvents(JdbcTemplate jdbc) {
        return new ProcessedEvents(jdbc);
    }

    @Bean
    @ConditionalOnMissingBean
    KeptCounts keptCounts(JdbcTemplate jdbc, KeptCountProperties properties) {
        return new KeptCounts(JdbcClient.create(jdbc), properties);
    }

    @Bean
    @ConditionalOnMissingBean(name = "keptCountsFold")
    PeriodicChore keptCountsFold(KeptCounts counts, KeptCountProperties properties) {
        return PeriodicChore.every(properties.foldInterval(), "kept-counts-fold", counts::foldAll);
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessedEventsCleanup processedEventsCleanup(ProcessedEvents processedEvents, InboxProperties properties) {
        return new ProcessedEventsCleanup(processedEvents, properties);
    }

    @Bean
    @ConditionalOnMissingBean(name = "processedEventsCleanupChore")
    PeriodicChore processedEventsCleanupChore(ProcessedEventsCleanup cleanup, InboxProperties properties) {
        return PeriodicChore.every(properties.cleanupInterval(), "processed-events-cleanup", cleanup::cleanUp);
    }

    @Bean
    @ConditionalOnMissingBean
    DeadLetterStore deadLetterStore(JdbcTemplate jdbc) {
        return new DeadLetterStore(jdbc);
    }

    @Bean
    @ConditionalOnMissingBean
    DeadLetterTopicCopies deadLetterTopicCopies(ProducerFactory<?, ?> producerFactory, DeadLetterProperties properties,
                                                MeterRegistry meters, Environment environment) {
        // Copies keep the original bytes, whatever they are: same producer settings, raw value serializer.
        ProducerFactory<String, byte[]> rawBytes = rawBytes(producerFactory);
        return new DeadLetterTopicCopies(new KafkaTemplate<>(rawBytes), environment.getProperty("spring.application.name", "unnamed"),
                maxRequestSize(rawBytes), properties.maxHeaderText(), meters);
    }

    @SuppressWarnings("unchecked")
    private static ProducerFactory<String, byte[]> rawBytes(ProducerFactory<?, ?> producerFactory) {
        return (ProducerFactory<String, byte[]>) producerFactory
                .copyWithConfigurationOverride(Map.of(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private static int maxRequestSize(ProducerFactory<String, byte[]> producerFactory) {
        return Integer.parseInt(producerFactory.getConfigurationProperties()
                .getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024).toString());
    }

    @Bean
    @ConditionalOnMissingBean
    AvroEventDecoder avroEventDecoder(MessagingProperties properties) {
        return new AvroEventDecoder(KafkaClientSettings.avroDeserializer(properties));
    }

    @Bean
    @ConditionalOnMissingBean
    PartitionsRead partitionsRead(JdbcTemplate jdbc) {
        return new PartitionsRead(jdbc);
    }

    @Bean
    @ConditionalOnMissingBean
    EventInbox eventInbox(ProcessedEvents processedEvents, TransactionTemplate transactions, DeadLetterStore deadLetters,
                          DeadLetterTopicCopies copies, AvroEventDecoder avro, InboxProperties properties, MeterRegistry meters,
                          Traces traces, PartitionsRead partitionsRead) {
        return new EventInbox(processedEvents, transactions, deadLetters, copies, avro, properties, meters, traces, partitionsRead);
    }

    @Bean
    @ConditionalOnMissingBean
    Redrives redrives(DeadLetterStore store, EventInbox inbox, JdbcTemplate jdbc, DeadLetterProperties properties) {
        return new Redrives(store, inbox, jdbc, properties);
    }

    @Bean
    @ConditionalOnMissingBean
    DeadLetterGauges deadLetterGauges(DeadLetterStore store, MeterRegistry meters) {
        return new DeadLetterGauges(store, meters);
    }

    @Bean
    @ConditionalOnMissingBean(name = "deadLetterCount")
    PeriodicChore deadLetterCount(DeadLetterGauges gauges, DeadLetterProperties properties) {
        return PeriodicChore.fromStartEvery(properties.metricsInterval(), "dead-letter-count", gauges::count);
    }

    @Bean
    @ConditionalOnMissingBean(name = "heldRecordsRelease")
    PeriodicChore heldRecordsRelease(Redrives redrives, DeadLetterProperties properties) {
        return PeriodicChore.every(properties.releaseInterval(), "held-records-release", redrives::releaseHeldRecords);
    }

    /**
     * Messaging's own migrations (the outbox, the inbox, dead letters) are numbered below every service's, so one a
     * later release adds arrives below what a running database has applied: Flyway applies it out of order.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer")
    static class MessagingMigrations {

        @Bean
        FlywayConfigurationCustomizer messagingMigrationsOutOfOrder() {
            return configuration -> configuration.outOfOrder(true);
        }
    }

    /** Boot's listener container factory picks up this single error handler. */
    @Bean
    @ConditionalOnMissingBean
    RedeliverAfterBackOff redeliverAfterBackOff(InboxProperties properties, ObjectProvider<MeterRegistry> meters) {
        return new RedeliverAfterBackOff(properties.retryInitialInterval(), properties.retryMaxInterval(), meters.getObject());
    }
}
