package com.su7.delivery.outlook;

import com.su7.contract.PreorderId;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Where each preorder's delivery stands, and how loaded the centres are. */
@RestController
class OutlookController {

    private final Outlook outlook;
    private final OutlookProperties properties;

    OutlookController(Outlook outlook, OutlookProperties properties) {
        this.outlook = outlook;
        this.properties = properties;
    }

    @GetMapping("/api/delivery/preorders/{preorderId}")
    Outlook.PreorderDelivery preorder(@PathVariable String preorderId) {
        // Not a UUID: no preorder has that id.
        return outlook.preorder(PreorderId.tryParse(preorderId).orElseThrow(() -> new UnknownPreorderException(preorderId)));
    }

    @GetMapping("/api/delivery/centers/summary")
    Outlook.Summary summary(@RequestParam(required = false)
                            @Min(value = 1, message = "must be at least 1")
                            @Max(value = 90, message = "must be at most 90") Integer days) {
        return outlook.summary(days == null ? properties.summaryDays() : days);
    }
}
