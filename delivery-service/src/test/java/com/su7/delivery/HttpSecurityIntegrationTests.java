package com.su7.delivery;

import com.su7.testsupport.AccessTable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every delivery endpoint is an ops endpoint: the centres, their capacity, the schedule's projection. */
@DeliveryIntegrationTest
class HttpSecurityIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void letsOnlyOpsCallTheApi() {
        AccessTable.check(port, """
                anonymous GET  /api/delivery/centers                            401
                guessing  GET  /api/delivery/centers                            401
                ops       GET  /api/delivery/centers                            200
                app       GET  /api/delivery/centers                            403
                app       PUT  /api/delivery/centers/Shanghai                   403
                app       POST /api/delivery/centers/Shanghai/capacity-preview  403
                """);
    }
}
