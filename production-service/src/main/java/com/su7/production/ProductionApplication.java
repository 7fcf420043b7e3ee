package com.su7.production;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Runs the production queue and the capacity plan; simulated lines build units and publish UnitBuilt. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProductionApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProductionApplication.class, args);
    }
}
