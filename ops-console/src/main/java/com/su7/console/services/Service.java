package com.su7.console.services;

import java.util.Locale;

/** The services the console reads and changes, each through its own API. */
public enum Service {
    ORDERS, PRODUCTION, DELIVERY;

    /** As the pages and the URLs name it: {@code orders}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String label() {
        return id() + "-service";
    }

    /** @throws UnknownServiceException for a name that is none of them */
    public static Service of(String id) {
        for (Service service : values()) {
            if (service.id().equals(id)) {
                return service;
            }
        }
        throw new UnknownServiceException(id);
    }
}
