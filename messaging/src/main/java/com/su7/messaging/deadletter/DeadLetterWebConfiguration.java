package com.su7.messaging.deadletter;

import com.su7.messaging.MessagingAutoConfiguration;
import com.su7.security.ProblemException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/** In a servlet application with the services' security module, ops reach the service's dead letters through {@link DeadLetterController}. */
@AutoConfiguration(after = MessagingAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(ProblemException.class)
public class DeadLetterWebConfiguration {

    @Bean
    DeadLetterController deadLetterController(DeadLetterStore store, Redrives redrives, Redrivable.Consumers consumers) {
        return new DeadLetterController(store, redrives, consumers);
    }
}
