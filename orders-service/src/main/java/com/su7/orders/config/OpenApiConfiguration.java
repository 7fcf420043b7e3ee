package com.su7.orders.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}). */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI ordersApi() {
        return new OpenAPI().info(new Info().title("SU7 orders-service")
                .description("Preorders for the SU7 and the customer-facing ETA of each. Errors are application/problem+json.")
                .version("v1"));
    }
}
