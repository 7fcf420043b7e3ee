package com.su7.messaging.outbox;

import com.su7.messaging.MessagingAutoConfiguration;
import com.su7.security.ProblemException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/** In a servlet application with the services' security module, ops reach the service's outbox through {@link OutboxController}. */
@AutoConfiguration(after = MessagingAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(ProblemException.class)
public class OutboxWebConfiguration {

    @Bean
    OutboxController outboxController(OutboxBacklog backlog, SetAsideRows setAside) {
        return new OutboxController(backlog, setAside);
    }
}
