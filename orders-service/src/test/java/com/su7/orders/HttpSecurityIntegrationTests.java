package com.su7.orders;

import com.su7.testsupport.AccessTable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may call orders-service: the app client places and reads preorders, ops read them and run the rest. */
@OrdersIntegrationTest
class HttpSecurityIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void letsTheAppPlaceAndReadAndOpsReadAndRunTheRest() {
        AccessTable.check(port, """
                anonymous POST /api/preorders            401
                anonymous GET  /api/preorders/stats      401
                guessing  GET  /api/preorders/stats      401
                ops       GET  /api/preorders/stats      200
                ops       POST /api/preorders            403
                app       GET  /api/preorders/stats      200
                app       GET  /v3/api-docs              403
                app       GET  /api/orders/ops/anything  403
                """);
    }

    @Test
    void refusesABodyOverTheLimitWith413() {
        Http.Response response = new Http(port).post("/api/preorders", "security-large", "{\"customerId\":\"" + "x".repeat(70_000) + "\"}");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.body().path("detail").asString()).contains("at most 65536 bytes");
    }
}
