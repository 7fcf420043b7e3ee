package com.su7.production.support;

import com.su7.testsupport.WithLocalStack;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The service against real Kafka, registry and PostgreSQL, with the hand-moved {@link TestClock}; every
 * class so annotated shares one Spring context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@WithLocalStack
@ActiveProfiles("it")
@Import(ProductionTestConfiguration.class)
public @interface ProductionIntegrationTest {
}
