package com.su7.console.services;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.util.EnumMap;
import java.util.Map;

/**
 * The services' APIs, called with the logged-in user's access token (renewed as it expires): what the user may do
 * is what the services let their token do. A service's refusal or problem reaches the caller as a
 * {@link org.springframework.web.client.RestClientResponseException}, which {@link ServiceProblems} relays.
 */
@Component
public class ServiceApis {

    /** The authorization server's registration (spring.security.oauth2.client.registration.su7). */
    public static final String REGISTRATION = "su7";

    private final Map<Service, RestClient> clients = new EnumMap<>(Service.class);

    ServiceApis(ConsoleProperties properties, RestClient.Builder builder, OAuth2AuthorizedClientManager authorizedClients) {
        OAuth2ClientHttpRequestInterceptor userToken = new OAuth2ClientHttpRequestInterceptor(authorizedClients);
        userToken.setClientRegistrationIdResolver(request -> REGISTRATION);
        for (Service service : Service.values()) {
            clients.put(service, builder.clone().baseUrl(properties.services().of(service).toString())
                    .requestInterceptor(userToken).build());
        }
    }

    public JsonNode get(Service service, String uri, Object... variables) {
        return clients.get(service).get().uri(uri, variables).accept(MediaType.APPLICATION_JSON).retrieve().body(JsonNode.class);
    }

    public JsonNode post(Service service, Object body, String uri, Object... variables) {
        return clients.get(service).post().uri(uri, variables).contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class);
    }

    public JsonNode put(Service service, Object body, String uri, Object... variables) {
        return clients.get(service).put().uri(uri, variables).contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class);
    }

    /** A text resource, such as the Prometheus scrape. */
    public String text(Service service, String uri) {
        return clients.get(service).get().uri(uri).accept(MediaType.TEXT_PLAIN).retrieve().body(String.class);
    }
}
