package com.su7.delivery.center;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A centre's daily capacity as ops may set it, checked alike where it is changed and where a change is previewed. */
@NotNull(message = "is required")
@Min(value = 1, message = "must be at least 1 hand-over a day")
@Max(value = DailyCapacity.MAX, message = "must be at most " + DailyCapacity.MAX + " hand-overs a day")
@Constraint(validatedBy = {})
@Documented
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@interface DailyCapacity {

    /** Above this a typo is far likelier than a centre that hands over this many cars a day. */
    int MAX = 5_000;

    String message() default "is not a daily capacity";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
