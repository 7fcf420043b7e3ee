package com.su7.authorization;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Issues access tokens to the services' clients: the car app's backend and ops' tools (OAuth2 client credentials),
 * and the ops console for the ops who log in here (authorization code, OpenID Connect).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AuthorizationServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(AuthorizationServerApplication.class, args);
    }
}
