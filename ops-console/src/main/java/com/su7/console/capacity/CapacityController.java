package com.su7.console.capacity;

import com.su7.console.services.Service;
import com.su7.console.services.ServiceApis;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.security.Principal;

/**
 * Capacity what-if: the plant's capacity plan (production-service) and each centre's daily hand-overs
 * (delivery-service). A preview asks the service what the change would do to the customers' dates (it rehearses
 * the change and keeps nothing); applying makes it. The change is recorded in the logged-in user's name.
 */
@RestController
class CapacityController {

    private final ServiceApis apis;

    CapacityController(ServiceApis apis) {
        this.apis = apis;
    }

    @GetMapping("/console/api/capacity/plan")
    JsonNode plan() {
        return apis.get(Service.PRODUCTION, "/api/production/capacity-plan");
    }

    @PostMapping("/console/api/capacity/plan/preview")
    JsonNode previewPlan(@RequestBody ObjectNode change, Principal user) {
        return apis.post(Service.PRODUCTION, byUser(change, user), "/api/production/capacity-plan/preview");
    }

    @PutMapping("/console/api/capacity/plan")
    JsonNode changePlan(@RequestBody ObjectNode change, Principal user) {
        return apis.put(Service.PRODUCTION, byUser(change, user), "/api/production/capacity-plan");
    }

    @GetMapping("/console/api/capacity/centers")
    JsonNode centers() {
        return apis.get(Service.DELIVERY, "/api/delivery/centers");
    }

    @PostMapping("/console/api/capacity/centers/{city}/preview")
    JsonNode previewCenter(@PathVariable String city, @RequestBody ObjectNode change) {
        return apis.post(Service.DELIVERY, change, "/api/delivery/centers/{city}/capacity-preview", city);
    }

    @PutMapping("/console/api/capacity/centers/{city}")
    JsonNode changeCenter(@PathVariable String city, @RequestBody ObjectNode change, Principal user) {
        return apis.put(Service.DELIVERY, byUser(change, user), "/api/delivery/centers/{city}", city);
    }

    /** Who changes it is the logged-in user, whatever the page sent. */
    private static ObjectNode byUser(ObjectNode change, Principal user) {
        return change.put("changedBy", user.getName());
    }
}
