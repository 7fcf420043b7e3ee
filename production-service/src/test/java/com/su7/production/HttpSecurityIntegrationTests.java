package com.su7.production;

import com.su7.production.support.IntegrationTestBase;
import com.su7.testsupport.AccessTable;
import org.junit.jupiter.api.Test;

/** Every production endpoint is an ops endpoint: the plan, the unit feed, the summary and the projection. */
class HttpSecurityIntegrationTests extends IntegrationTestBase {

    @Test
    void letsOnlyOpsCallTheApi() {
        AccessTable.check(port, """
                anonymous POST /api/production/units                   401
                guessing  GET  /api/production/summary                 401
                ops       GET  /api/production/capacity-plan           200
                app       PUT  /api/production/capacity-plan           403
                app       POST /api/production/capacity-plan/preview   403
                app       GET  /api/production/capacity-plan           403
                app       POST /api/production/units                   403
                app       GET  /api/production/summary                 403
                """);
    }
}
