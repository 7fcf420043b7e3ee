package com.su7.testsupport;

import com.su7.localstack.AccessTokens;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;

/**
 * Calls a service as one of the shared stack's HTTP clients ({@code ops}, {@code app}): every request carries the
 * client's current access token, renewed before it expires, and once more after a 401 (a restarted issuer).
 */
public final class AsClient {

    private AsClient() {
    }

    /** A RestClient for the service on {@code port}, as {@code client}. */
    public static RestClient.Builder restClient(int port, String client) {
        return RestClient.builder().baseUrl("http://127.0.0.1:" + port).requestInterceptor(bearer(client));
    }

    public static ClientHttpRequestInterceptor bearer(String client) {
        AccessTokens tokens = SharedLocalStack.get().accessTokens(client);
        return (request, body, execution) -> {
            request.getHeaders().set(HttpHeaders.AUTHORIZATION, tokens.authorization());
            ClientHttpResponse response = execution.execute(request, body);
            if (response.getStatusCode() != HttpStatus.UNAUTHORIZED) {
                return response;
            }
            response.close();
            tokens.renew();
            request.getHeaders().set(HttpHeaders.AUTHORIZATION, tokens.authorization());
            return execution.execute(request, body);
        };
    }
}
