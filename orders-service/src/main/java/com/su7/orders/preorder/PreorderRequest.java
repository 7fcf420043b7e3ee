package com.su7.orders.preorder;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;

/**
 * A customer's preorder request, as the REST API and the app's events both carry it. Variant and channel are
 * text so a wrong value is reported like any other bad field. Interior and wheels are optional (since v0.2.0).
 */
public record PreorderRequest(
        @NotBlank @Size(max = 64) String customerId,
        @NotNull @Pattern(regexp = "SU7|SU7_PRO|SU7_MAX", message = "must be one of SU7, SU7_PRO, SU7_MAX") String variant,
        @NotBlank @Size(max = 40) String exteriorColor,
        @NotBlank @Size(max = 60) @DeliverableCity String deliveryCity,
        @NotNull @DecimalMin(value = "0", inclusive = false, message = "must be more than 0 CNY")
        @Digits(integer = 10, fraction = 2, message = "must be CNY with at most 10 digits and 2 decimals") BigDecimal deposit,
        @NotNull @Pattern(regexp = "APP|WEB|STORE", message = "must be one of APP, WEB, STORE") String channel,
        @Size(min = 1, max = 40) String interior,
        @Size(min = 1, max = 40) String wheels) {
}
