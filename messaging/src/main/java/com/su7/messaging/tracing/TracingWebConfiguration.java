package com.su7.messaging.tracing;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * In a servlet application: a caller's correlation id is taken only when it is plain, and every answer carries the
 * correlation id (the caller's, or the trace id). The tracing filter itself (Spring's HTTP server observation, at
 * {@code HIGHEST_PRECEDENCE + 1}) sits between the two.
 */
@AutoConfiguration(afterName = "com.su7.messaging.MessagingAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class TracingWebConfiguration {

    @Bean
    FilterRegistrationBean<PlainCorrelationIdFilter> plainCorrelationIdFilter() {
        FilterRegistrationBean<PlainCorrelationIdFilter> registration = new FilterRegistrationBean<>(new PlainCorrelationIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<CorrelationIdEchoFilter> correlationIdEchoFilter(Traces traces) {
        FilterRegistrationBean<CorrelationIdEchoFilter> registration = new FilterRegistrationBean<>(new CorrelationIdEchoFilter(traces));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }
}
