package com.su7.console.services;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.concurrent.DelegatingSecurityContextExecutorService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The services' APIs, called with the logged-in user's access token (renewed as it expires): what the user may do
 * is what the services let their token do. A service's refusal or problem reaches the caller as a
 * {@link RestClientResponseException}, which {@link ServiceProblems} relays; a service that does not answer as a
 * {@link ServiceUnavailableException} naming it.
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
        return answer(service, () -> clients.get(service).get().uri(uri, variables).accept(MediaType.APPLICATION_JSON)
                .retrieve().body(JsonNode.class));
    }

    public JsonNode post(Service service, Object body, String uri, Object... variables) {
        return answer(service, () -> clients.get(service).post().uri(uri, variables).contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class));
    }

    public JsonNode put(Service service, Object body, String uri, Object... variables) {
        return answer(service, () -> clients.get(service).put().uri(uri, variables).contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class));
    }

    /** A text resource, such as the Prometheus scrape. */
    public String text(Service service, String uri) {
        return answer(service, () -> clients.get(service).get().uri(uri).accept(MediaType.TEXT_PLAIN).retrieve().body(String.class));
    }

    private static <T> T answer(Service service, Supplier<T> call) {
        try {
            return call.get();
        } catch (ResourceAccessException e) {
            throw new ServiceUnavailableException(service, e);
        }
    }

    /**
     * What calls made side by side answered, by source: each call's answer, or why it has none. A page built from
     * several services shows what the others say while one is down.
     */
    public record Answers(Map<String, Object> values, Map<String, String> problems) {

        public JsonNode json(String source) {
            return (JsonNode) values.get(source);
        }

        public String text(String source) {
            return (String) values.get(source);
        }
    }

    /**
     * Makes the calls side by side, each with the user's token, and waits for all of them. A call that fails has no
     * answer and its reason under its source in {@link Answers#problems()}; a token the services refuse or that
     * cannot be renewed fails the whole, since every call would need a new login.
     */
    public Answers inParallel(Map<String, Supplier<?>> calls) throws InterruptedException {
        try (ExecutorService executor = new DelegatingSecurityContextExecutorService(Executors.newVirtualThreadPerTaskExecutor())) {
            Map<String, Future<?>> pending = new LinkedHashMap<>();
            calls.forEach((source, call) -> pending.put(source, executor.submit(call::get)));
            Map<String, Object> values = new HashMap<>();
            Map<String, String> problems = new TreeMap<>();
            for (Map.Entry<String, Future<?>> call : pending.entrySet()) {
                try {
                    values.put(call.getKey(), call.getValue().get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof OAuth2AuthorizationException
                            || e.getCause() instanceof RestClientResponseException response
                            && response.getStatusCode().value() == HttpStatus.UNAUTHORIZED.value()) {
                        throw (RuntimeException) e.getCause();
                    }
                    problems.put(call.getKey(), problemOf(e.getCause()));
                }
            }
            return new Answers(values, problems);
        }
    }

    private static String problemOf(Throwable failure) {
        if (failure instanceof RestClientResponseException response) {
            return "answered %d %s".formatted(response.getStatusCode().value(), response.getStatusText());
        }
        return failure instanceof ServiceUnavailableException ? failure.getMessage() : String.valueOf(failure);
    }
}
