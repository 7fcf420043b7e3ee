package com.su7.orders;

import com.su7.testsupport.WithLocalStack;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One Spring context for every integration test of the service, against the shared local stack. The test
 * context also plays production-service and delivery-service: it registers their schemas and declares their
 * topics, so tests can produce UnitBuilt and DeliveryScheduled.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "su7.messaging.produces=orders.preorder-placed,orders.eta-changed,orders.preorder-cancelled,production.unit-built,delivery.delivery-scheduled",
        "su7.messaging.outbox.poll-interval=100ms",
        "su7.messaging.inbox.retry-initial-interval=100ms",
        "su7.messaging.inbox.retry-max-interval=1s",
        "orders.eta.refresh-interval=200ms",
        "orders.eta.assumed-daily-rate=1",
        "logging.structured.format.console="})
@WithLocalStack
@Import(TestClockConfiguration.class)
public @interface OrdersIntegrationTest {
}
