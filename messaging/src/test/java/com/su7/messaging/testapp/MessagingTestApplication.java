package com.su7.messaging.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A minimal service on the messaging module: it places "preorders" through the outbox, and its listener
 * applies them (recording each in {@code applied_event}) and answers each with a UnitBuilt, as a real
 * service would.
 */
@SpringBootApplication
public class MessagingTestApplication {
}
