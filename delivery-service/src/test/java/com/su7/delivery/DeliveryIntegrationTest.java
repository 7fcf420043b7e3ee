package com.su7.delivery;

import com.su7.testsupport.WithLocalStack;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Every integration test class of this module wears this, so all share ONE Spring context on the shared local
 * stack: the service as it runs, with a fixed test clock, fast outbox and retries, and the schemas of the
 * events the tests feed it registered (the real producers are other services).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "su7.messaging.produces=delivery.delivery-scheduled,orders.preorder-placed,production.unit-built,orders.preorder-cancelled",
        "su7.messaging.outbox.poll-interval=100ms",
        "su7.messaging.inbox.retry-initial-interval=100ms",
        "su7.messaging.inbox.retry-max-interval=1s",
        "su7.delivery.outlook.metrics-refresh=300ms"})
@WithLocalStack
@Import(TestClock.Configuration.class)
public @interface DeliveryIntegrationTest {
}
