package com.su7.orders.preorder;

import com.su7.contract.DeliveryCities;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A city we deliver to (the contract's {@link DeliveryCities}); null and blank are left to {@code @NotBlank}. */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DeliverableCity.Validator.class)
@interface DeliverableCity {

    String message() default "we do not deliver there";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<DeliverableCity, String> {

        @Override
        public boolean isValid(String city, ConstraintValidatorContext context) {
            if (city == null || city.isBlank() || DeliveryCities.find(city).isPresent()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("we do not deliver to '%s'; we deliver to %s"
                    .formatted(city.replace("{", "").replace("}", "").replace("$", ""), DeliveryCities.names())).addConstraintViolation();
            return false;
        }
    }
}
