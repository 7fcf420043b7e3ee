package com.su7.testsupport;

import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a Spring test against the real Kafka, schema registry and PostgreSQL of {@link SharedLocalStack},
 * started once per test JVM, and traced as the services are: without {@link AutoConfigureTracing} Spring Boot's tests
 * turn span export off, and with it the propagation of {@code traceparent}. The stack runs no Zipkin, so no span is
 * sent ({@link LocalStackInitializer}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ContextConfiguration(initializers = LocalStackInitializer.class)
@AutoConfigureTracing
public @interface WithLocalStack {
}
